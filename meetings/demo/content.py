"""The text of the demo meeting's documents: a district People's Council's year-end session."""

from __future__ import annotations

from meetings.demo.pdfs import DemoPdf

ISSUER_UBND = "Ủy ban nhân dân quận Hồng Hà"
ISSUER_HDND = "Hội đồng nhân dân quận Hồng Hà"
ISSUER_BAN = "Ban Kinh tế - Ngân sách HĐND quận"
PLACE_DATE = "Hồng Hà, ngày 20 tháng 11 năm 2026"

_URBAN = [
    "Công tác quản lý quy hoạch, trật tự xây dựng được tăng cường; đã cấp 1.482 giấy phép xây dựng, kiểm tra "
    "2.316 công trình, xử lý dứt điểm 96 trường hợp vi phạm. Hoàn thành chỉnh trang 14 tuyến phố, lát lại vỉa "
    "hè 21,5 km, cải tạo 36 ngõ, ngách; lắp đặt mới 1.150 bộ đèn chiếu sáng công cộng tiết kiệm năng lượng.",
    "Công tác giải phóng mặt bằng được tập trung chỉ đạo: đã thu hồi đất của 412 hộ gia đình, tổ chức tại 09 "
    "dự án, bàn giao 18,6 ha mặt bằng sạch cho chủ đầu tư. Dự án cải tạo hồ điều hòa và tuyến đường vành đai "
    "trong của quận cơ bản hoàn thành phần giải phóng mặt bằng, bảo đảm tiến độ thành phố giao.",
    "Vệ sinh môi trường có chuyển biến: tỷ lệ thu gom rác thải sinh hoạt đạt 100%, tỷ lệ phân loại rác tại "
    "nguồn đạt 41% số hộ dân; đã trồng mới 2.650 cây xanh, cải tạo 12 vườn hoa, sân chơi cho trẻ em.",
]
_ADMIN_REFORM = [
    "Cải cách hành chính tiếp tục được đẩy mạnh. Bộ phận một cửa quận và các phường đã tiếp nhận 186.420 hồ "
    "sơ, giải quyết đúng hạn 99,6%; chỉ số hài lòng của người dân, doanh nghiệp đạt 96,2%. Hệ thống họp không "
    "giấy được sử dụng tại 100% cuộc họp của Ủy ban nhân dân quận, tiết kiệm khoảng 1,2 triệu trang in mỗi năm.",
    "Công tác tổ chức bộ máy được sắp xếp tinh gọn; tinh giản biên chế đúng lộ trình. Đã tổ chức 18 lớp bồi "
    "dưỡng kỹ năng số cho 1.240 lượt cán bộ, công chức, viên chức; 100% cán bộ sử dụng chữ ký số trong xử lý "
    "văn bản điện tử.",
]
_FINANCE_DETAIL = [
    "Thu thuế ngoài quốc doanh dự kiến 3.950 tỷ đồng, tăng 9,8% so với ước thực hiện năm 2026; thu lệ phí "
    "trước bạ 1.120 tỷ đồng; thu thuế thu nhập cá nhân 1.640 tỷ đồng; thu phí, lệ phí 215 tỷ đồng; thu tiền "
    "thuê đất 690 tỷ đồng; các khoản thu khác 505 tỷ đồng.",
    "Chi sự nghiệp giáo dục và đào tạo 742 tỷ đồng, chiếm 41,7% chi thường xuyên; chi sự nghiệp y tế 96 tỷ "
    "đồng; chi sự nghiệp môi trường 188 tỷ đồng; chi quản lý hành chính 310 tỷ đồng; chi bảo đảm xã hội 121 "
    "tỷ đồng; chi quốc phòng, an ninh 64 tỷ đồng; chi khác ngân sách 260 tỷ đồng.",
    "Kế hoạch đầu tư công năm 2027 bố trí cho 46 dự án, trong đó 39 dự án chuyển tiếp và 07 dự án khởi công "
    "mới; ưu tiên các dự án trường học, trạm y tế, cải tạo hạ tầng khu dân cư cũ và chuyển đổi số.",
    "Ủy ban nhân dân quận cam kết công khai dự toán ngân sách theo quy định, quản lý chặt chẽ các khoản chi, "
    "thực hành tiết kiệm, chống lãng phí, bảo đảm cân đối ngân sách trong mọi tình huống.",
]
_ECONOMY = [
    "Năm 2026, trong bối cảnh còn nhiều khó khăn, thách thức, Ủy ban nhân dân quận đã tập trung chỉ đạo "
    "quyết liệt, linh hoạt các nhiệm vụ, giải pháp; tình hình kinh tế - xã hội của quận tiếp tục phát triển "
    "ổn định, nhiều chỉ tiêu chủ yếu đạt và vượt kế hoạch Hội đồng nhân dân quận giao.",
    "Tổng giá trị sản xuất trên địa bàn ước đạt 48.215 tỷ đồng, tăng 8,6% so với cùng kỳ; trong đó ngành "
    "thương mại - dịch vụ chiếm tỷ trọng 78,4%, ngành công nghiệp - xây dựng chiếm 21,6%. Tổng mức bán lẻ "
    "hàng hóa và doanh thu dịch vụ tiêu dùng ước đạt 61.930 tỷ đồng, tăng 10,2%.",
    "Thu ngân sách nhà nước trên địa bàn ước đạt 7.842 tỷ đồng, bằng 106,3% dự toán thành phố giao và "
    "104,1% dự toán Hội đồng nhân dân quận giao. Chi ngân sách địa phương bảo đảm đúng dự toán, tiết kiệm, "
    "hiệu quả, ưu tiên cho an sinh xã hội, giáo dục, y tế và chuyển đổi số.",
    "Công tác chuyển đổi số được đẩy mạnh: 100% văn bản giữa các cơ quan hành chính được gửi, nhận dưới dạng "
    "điện tử và ký số; tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình đạt 82%; các kỳ "
    "họp Hội đồng nhân dân quận và phường được tổ chức theo hình thức họp không giấy.",
]
_SOCIAL = [
    "Lĩnh vực văn hóa - xã hội có nhiều chuyển biến tích cực. Quận đã hoàn thành xây dựng mới 03 trường học, "
    "cải tạo 11 trường; tỷ lệ trường đạt chuẩn quốc gia đạt 78,5%. Công tác chăm sóc sức khỏe nhân dân, "
    "phòng chống dịch bệnh được triển khai chủ động, không để dịch lớn xảy ra.",
    "Các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời; đã hỗ trợ 1.240 hộ cận nghèo, giải quyết "
    "việc làm cho 4.350 lao động. Quỹ Vì người nghèo quận vận động được 12,6 tỷ đồng.",
    "Tình hình an ninh chính trị, trật tự an toàn xã hội được giữ vững; số vụ phạm pháp hình sự giảm 6,8% so "
    "với cùng kỳ; công tác tiếp công dân, giải quyết khiếu nại, tố cáo được thực hiện đúng quy định.",
]
_LIMITS = [
    "Bên cạnh kết quả đạt được, vẫn còn những hạn chế: tiến độ giải phóng mặt bằng một số dự án trọng điểm "
    "còn chậm; công tác quản lý trật tự đô thị, vệ sinh môi trường ở một số phường chưa đạt yêu cầu; việc "
    "khai thác dữ liệu dùng chung giữa các cơ quan còn hạn chế.",
    "Nguyên nhân chủ yếu là một số quy định pháp luật về đất đai, đầu tư còn chồng chéo; năng lực của một bộ "
    "phận cán bộ, công chức chưa đáp ứng yêu cầu; sự phối hợp giữa các cơ quan có lúc chưa chặt chẽ.",
]
_PLAN = [
    "Mục tiêu tổng quát năm 2027: tiếp tục phát triển kinh tế nhanh và bền vững gắn với chỉnh trang đô thị, "
    "nâng cao chất lượng cuộc sống của Nhân dân; đẩy mạnh cải cách hành chính và chuyển đổi số; giữ vững "
    "an ninh chính trị, trật tự an toàn xã hội.",
    "Các chỉ tiêu chủ yếu: tổng giá trị sản xuất tăng 8,5–9%; thu ngân sách trên địa bàn đạt 8.300 tỷ đồng; "
    "tỷ lệ hồ sơ trực tuyến toàn trình đạt trên 90%; 100% cuộc họp của Hội đồng nhân dân được tổ chức theo "
    "hình thức không giấy; giảm tỷ lệ hộ cận nghèo xuống dưới 0,3%.",
    "Nhiệm vụ, giải pháp trọng tâm: tập trung tháo gỡ vướng mắc trong giải phóng mặt bằng; nâng cao hiệu quả "
    "quản lý thu ngân sách, chống thất thu; đầu tư hạ tầng giáo dục, y tế; hoàn thiện cơ sở dữ liệu dùng "
    "chung của quận; tăng cường kỷ luật, kỷ cương hành chính.",
]
_BUDGET = [
    "Căn cứ Luật Tổ chức chính quyền địa phương; Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015; Nghị định "
    "số 163/2016/NĐ-CP ngày 21 tháng 12 năm 2016 của Chính phủ quy định chi tiết thi hành một số điều của "
    "Luật Ngân sách nhà nước; Quyết định giao dự toán ngân sách năm 2027 của Ủy ban nhân dân thành phố.",
    "Ủy ban nhân dân quận kính trình Hội đồng nhân dân quận xem xét, quyết định dự toán thu ngân sách nhà nước "
    "trên địa bàn, thu, chi ngân sách địa phương và phương án phân bổ ngân sách quận năm 2027 như sau.",
    "Tổng thu ngân sách nhà nước trên địa bàn: 8.300 tỷ đồng, trong đó thu nội địa 8.120 tỷ đồng, thu tiền sử "
    "dụng đất 180 tỷ đồng. Tổng chi ngân sách địa phương: 2.964 tỷ đồng, trong đó chi đầu tư phát triển "
    "1.105 tỷ đồng, chi thường xuyên 1.781 tỷ đồng, dự phòng ngân sách 78 tỷ đồng.",
    "Nguyên tắc phân bổ: bảo đảm kinh phí thực hiện các chế độ, chính sách do Trung ương và thành phố ban "
    "hành; ưu tiên bố trí vốn cho các dự án chuyển tiếp, dự án trọng điểm; dành tối thiểu 20% chi thường "
    "xuyên cho sự nghiệp giáo dục và đào tạo; tiết kiệm 10% chi thường xuyên để tạo nguồn cải cách tiền lương.",
]
_REVIEW = [
    "Thực hiện sự phân công của Thường trực Hội đồng nhân dân quận, Ban Kinh tế - Ngân sách đã thẩm tra Tờ "
    "trình số 45/TTr-UBND và dự thảo Nghị quyết về dự toán ngân sách địa phương năm 2027.",
    "Ban cơ bản nhất trí với dự toán thu, chi ngân sách và phương án phân bổ do Ủy ban nhân dân quận trình. "
    "Dự toán được xây dựng đúng quy định, bám sát chỉ tiêu thành phố giao và khả năng thực hiện của quận.",
    "Ban đề nghị Ủy ban nhân dân quận: rà soát lại nhu cầu vốn của 07 dự án khởi công mới để bảo đảm khả năng "
    "giải ngân; làm rõ cơ sở tăng chi cho sự nghiệp môi trường 14,2%; bổ sung giải pháp chống thất thu thuế "
    "đối với hoạt động thương mại điện tử và cho thuê nhà.",
    "Đề nghị Hội đồng nhân dân quận xem xét, thông qua Nghị quyết với các nội dung đã được tiếp thu, chỉnh lý.",
]
_RESOLUTION = [
    "Điều 1. Quyết định dự toán thu ngân sách nhà nước trên địa bàn quận năm 2027 là 8.300 tỷ đồng; dự toán "
    "chi ngân sách địa phương là 2.964 tỷ đồng (chi tiết tại các phụ lục kèm theo).",
    "Điều 2. Giao Ủy ban nhân dân quận tổ chức thực hiện Nghị quyết; giao dự toán cho các cơ quan, đơn vị "
    "trước ngày 31 tháng 12 năm 2026; báo cáo Hội đồng nhân dân quận kết quả thực hiện tại kỳ họp giữa năm.",
    "Điều 3. Thường trực Hội đồng nhân dân, các Ban của Hội đồng nhân dân, các Tổ đại biểu và các vị đại biểu "
    "Hội đồng nhân dân quận giám sát việc thực hiện Nghị quyết này.",
    "Nghị quyết này đã được Hội đồng nhân dân quận Hồng Hà khóa XVI, kỳ họp thứ mười hai thông qua ngày "
    "15 tháng 12 năm 2026 và có hiệu lực từ ngày 01 tháng 01 năm 2027.",
]
_PROGRAMME = [
    "Phiên khai mạc (08 giờ 00): chào cờ; diễn văn khai mạc của Chủ tọa kỳ họp; báo cáo tình hình kinh tế - "
    "xã hội năm 2026 và kế hoạch năm 2027.",
    "Phiên làm việc buổi sáng (09 giờ 30): trình bày tờ trình dự toán ngân sách năm 2027; báo cáo thẩm tra "
    "của Ban Kinh tế - Ngân sách.",
    "Thảo luận tổ (14 giờ 00): các đại biểu thảo luận tại ba tổ; tổ trưởng tổng hợp ý kiến gửi Thư ký kỳ họp "
    "trước 16 giờ 30 trên hệ thống họp không giấy.",
    "Phiên bế mạc (ngày thứ hai, 15 giờ 00): biểu quyết thông qua các nghị quyết; phát biểu bế mạc kỳ họp.",
]
_ANTI_CORRUPTION = [
    "Báo cáo này chỉ lưu hành nội bộ trong kỳ họp, không sao chụp, không phát tán. Mỗi trang hiển thị cho đại "
    "biểu đều mang tên người nhận.",
    "Trong năm, Thanh tra quận đã tiến hành 09 cuộc thanh tra hành chính, phát hiện sai phạm về kinh tế 2,4 tỷ "
    "đồng, kiến nghị thu hồi 1,9 tỷ đồng; chuyển cơ quan điều tra 01 vụ việc có dấu hiệu tội phạm.",
    "Việc kê khai, công khai bản kê khai tài sản, thu nhập được thực hiện đúng quy định với 1.126 người có "
    "nghĩa vụ kê khai; đã xác minh ngẫu nhiên 24 trường hợp, chưa phát hiện vi phạm.",
]


def _pages(*groups: list[str]) -> list[str]:
    return [p for group in groups for p in group]


DOCUMENTS: dict[str, DemoPdf] = {
    "programme": DemoPdf(
        ISSUER_HDND, "112/CT-HĐND", "Chương trình kỳ họp thứ mười hai Hội đồng nhân dân quận khóa XVI", PLACE_DATE,
        [("I. Thời gian, địa điểm", ["Kỳ họp diễn ra trong hai ngày 14 và 15 tháng 12 năm 2026 tại Hội trường "
                                     "Trung tâm Hành chính quận, số 1 phố Hồng Hà."]),
         ("II. Nội dung chương trình", _PROGRAMME),
         ("Các nội dung trình kỳ họp", _ECONOMY[:1] + _BUDGET[1:2] + _ADMIN_REFORM[:1]),
         ("III. Tổ chức thảo luận tổ", ["Tổ 1: các đại biểu đơn vị bầu cử số 1 và 2. Tổ 2: đơn vị bầu cử số 3 "
                                        "và 4. Tổ 3: đơn vị bầu cử số 5 và các đại biểu khách mời."])],
    ),
    "economy": DemoPdf(
        ISSUER_UBND, "312/BC-UBND",
        "Báo cáo tình hình kinh tế - xã hội năm 2026, mục tiêu, nhiệm vụ và giải pháp năm 2027", PLACE_DATE,
        [("I. Kết quả thực hiện nhiệm vụ phát triển kinh tế năm 2026", _ECONOMY),
         ("II. Quản lý đô thị, tài nguyên và môi trường", _URBAN),
         ("III. Văn hóa - xã hội, quốc phòng - an ninh", _SOCIAL),
         ("IV. Cải cách hành chính, chuyển đổi số", _ADMIN_REFORM),
         ("V. Hạn chế và nguyên nhân", _LIMITS),
         ("VI. Mục tiêu, nhiệm vụ và giải pháp năm 2027", _PLAN),
         ("VII. Kiến nghị", ["Đề nghị Ủy ban nhân dân thành phố sớm phê duyệt điều chỉnh quy hoạch phân khu và "
                           "bổ sung vốn cho các dự án trường học trên địa bàn."])],
        table=[["Chỉ tiêu", "Kế hoạch 2026", "Ước thực hiện", "Tỷ lệ"],
               ["Thu ngân sách (tỷ đồng)", "7.535", "7.842", "104,1%"],
               ["Giá trị sản xuất (tỷ đồng)", "47.600", "48.215", "101,3%"],
               ["Hồ sơ trực tuyến toàn trình", "75%", "82%", "109,3%"]],
    ),
    "budget": DemoPdf(
        ISSUER_UBND, "45/TTr-UBND", "Tờ trình về dự toán ngân sách địa phương và phương án phân bổ ngân sách "
        "quận năm 2027", PLACE_DATE,
        [("Căn cứ pháp lý", _BUDGET[:2]), ("I. Dự toán thu, chi ngân sách", _BUDGET[2:]),
         ("Chi tiết dự toán thu, chi", _FINANCE_DETAIL),
         ("II. Tình hình thực hiện năm 2026", _ECONOMY[2:]), ("III. Đề xuất", _PLAN[1:])],
        table=[["Nội dung", "Dự toán 2027 (tỷ đồng)", "So với 2026"],
               ["Tổng thu trên địa bàn", "8.300", "110,2%"],
               ["Chi đầu tư phát triển", "1.105", "108,7%"],
               ["Chi thường xuyên", "1.781", "105,4%"],
               ["Dự phòng ngân sách", "78", "100,0%"]],
    ),
    "draft_resolution": DemoPdf(
        ISSUER_HDND, "……/NQ-HĐND", "Dự thảo Nghị quyết về dự toán ngân sách địa phương năm 2027", PLACE_DATE,
        [("Hội đồng nhân dân quận Hồng Hà khóa XVI, kỳ họp thứ mười hai", _BUDGET[:1] + _RESOLUTION[:1]),
         ("Quyết nghị", _RESOLUTION[1:]), ("Phụ lục: nguyên tắc phân bổ", _BUDGET[3:]),
         ("Phụ lục: chi tiết dự toán", _FINANCE_DETAIL)],
    ),
    "review": DemoPdf(
        ISSUER_BAN, "27/BC-KTNS", "Báo cáo thẩm tra dự toán ngân sách địa phương năm 2027", PLACE_DATE,
        [("I. Quá trình thẩm tra", _REVIEW[:1]), ("II. Ý kiến thẩm tra", _REVIEW[1:3]),
         ("Về dự toán thu, chi", _FINANCE_DETAIL[:3]),
         ("III. Kiến nghị", _REVIEW[3:] + _LIMITS[:1])],
    ),
    "statistics": DemoPdf(
        ISSUER_UBND, "PL-01", "Phụ lục số liệu kinh tế - xã hội năm 2026", PLACE_DATE,
        [("Số liệu tổng hợp", _ECONOMY[1:3] + _SOCIAL[1:2]), ("Đô thị và môi trường", _URBAN),
         ("Hành chính công", _ADMIN_REFORM), ("Ghi chú", ["Số liệu ước tính đến hết tháng 12."])],
        table=[["Phường", "Dân số", "Thu ngân sách", "Hộ cận nghèo"],
               ["Phường Trúc Bạch", "28.410", "612", "41"], ["Phường Ngọc Hà", "31.870", "705", "58"],
               ["Phường Liễu Giai", "26.950", "1.204", "22"], ["Phường Kim Mã", "35.120", "988", "73"]],
    ),
    "anti_corruption": DemoPdf(
        ISSUER_UBND, "298/BC-UBND", "Báo cáo công tác phòng, chống tham nhũng năm 2026", PLACE_DATE,
        [("Lưu ý", _ANTI_CORRUPTION[:1]), ("I. Kết quả", _ANTI_CORRUPTION[1:]),
         ("Công khai, minh bạch", _ADMIN_REFORM + _FINANCE_DETAIL[3:]), ("II. Hạn chế", _LIMITS)],
        confidential=True,
    ),
    "personnel": DemoPdf(
        ISSUER_HDND, "15/TTr-TTHĐND", "Tờ trình về việc miễn nhiệm và bầu bổ sung Ủy viên Ủy ban nhân dân quận",
        PLACE_DATE,
        [("I. Lý do", ["Do yêu cầu công tác, Thường trực Hội đồng nhân dân quận trình Hội đồng nhân dân quận xem "
                       "xét miễn nhiệm và bầu bổ sung chức danh Ủy viên Ủy ban nhân dân quận nhiệm kỳ 2021–2026."]),
         ("II. Nhân sự giới thiệu", ["Hồ sơ nhân sự kèm theo chỉ gửi Thường trực và các Trưởng Ban của Hội đồng "
                                     "nhân dân quận theo quy định về công tác cán bộ."]),
         ("III. Quy trình", _ADMIN_REFORM[1:] + _RESOLUTION[2:3]),
         ("IV. Tiêu chuẩn, điều kiện", _ADMIN_REFORM[:1] + _LIMITS[1:] + _PLAN[2:])],
        confidential=True,
    ),
}
