"""access: QR links, delegate cards, attendance, read receipts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delegate_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_delegate_cards_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delegate_cards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegate_cards')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_delegate_cards_token_hash'))
    )
    with op.batch_alter_table('delegate_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_cards_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegate_cards_user_id'), ['user_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('sitting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present_in_hall', 'online', 'absent', 'excused', name='attendance_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_attendance_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.id'], name=op.f('fk_attendance_sitting_id_sittings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('sitting_id', 'user_id', name=op.f('uq_attendance_sitting_id_user_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_sitting_id'), ['sitting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('quorum_rules',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('numerator', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Integer(), nullable=False),
    sa.CheckConstraint('numerator >= 0 AND denominator > 0 AND numerator <= denominator', name=op.f('ck_quorum_rules_share')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_quorum_rules_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_quorum_rules'))
    )

    op.create_table('read_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_read_receipts_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_read_receipts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_read_receipts')),
    sa.UniqueConstraint('document_id', 'user_id', name=op.f('uq_read_receipts_document_id_user_id'))
    )
    with op.batch_alter_table('read_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_read_receipts_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_read_receipts_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('read_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_read_receipts_user_id'))
        batch_op.drop_index(batch_op.f('ix_read_receipts_document_id'))
    op.drop_table('read_receipts')
    op.drop_table('quorum_rules')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))
    op.drop_table('attendance')
    with op.batch_alter_table('delegate_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegate_cards_user_id'))
        batch_op.drop_index(batch_op.f('ix_delegate_cards_meeting_id'))
    op.drop_table('delegate_cards')
