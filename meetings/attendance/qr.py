"""QR codes as PNG and SVG.

Error correction is level Q (about 25 % of the code may be lost): a code thrown by a projector is
washed out, keystoned and crossed by the hall's lights, and a phone held at an angle from a seat
sees it skewed and blurred; a card gets creased and scuffed in a pocket. Level H (30 %) would add
rows of modules for little gain at these URL lengths, making each module smaller on a card."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_Q

#: the quiet zone the standard asks for, in modules; readers fail without it
BORDER = 4


def _code(data: str) -> qrcode.QRCode:  # type: ignore[type-arg]
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=BORDER, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str, box_size: int = 10) -> bytes:
    """The code as a black-on-white PNG, box_size pixels a module."""
    code = _code(data)
    code.box_size = box_size
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


def svg(data: str) -> bytes:
    """The code as a standalone SVG (one path, white background), sized in millimetres."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="utf-8")  # type: ignore[no-any-return]
