"""Seeded generator of the replay scenarios in tests/detection/fixtures/ (text written for these tests).

    .venv/bin/python tests/detection/make_scenarios.py            # rewrites the fixtures (seed 20250714)
    .venv/bin/python tests/detection/make_scenarios.py --weeks 4 --seed 7 --out /tmp/bg.jsonl   # more background

Background: about 20 items a day over many topics: local press and social posts about ordinary events
(some covered by two or three outlets, social posts mostly without diacritics), a slow complaint thread,
and national news. Burst: 12 items about one incident (a coal-waste landslide in phường Vàng Danh) from
10 sources over 4 hours, press with diacritics and Facebook/Zalo/TikTok without. Every row carries the
tags a tagger would give (`tags`) and its ground truth (`truth`: event id, burst or background).
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
VN = timezone(timedelta(hours=7))
START = datetime(2025, 9, 8, 0, 0, tzinfo=VN)  # a Monday

PRESS_LOCAL = [
    ("baoquangninh", "Báo Quảng Ninh"), ("qtv", "QTV Quảng Ninh"), ("uongbi-gov", "Cổng TTĐT TP Uông Bí"),
    ("laodong", "Lao Động"), ("vnexpress", "VnExpress"), ("dantri", "Dân trí"), ("tuoitre", "Tuổi Trẻ"),
    ("thanhnien", "Thanh Niên"), ("vietnamnet", "VietNamNet"), ("tienphong", "Tiền Phong"),
]
SOCIAL = [
    ("fb-uongbi24h", "Uông Bí 24h (Facebook)"), ("fb-hoiyeuuongbi", "Hội những người yêu Uông Bí (Facebook)"),
    ("fb-vangdanh", "Vàng Danh quê tôi (Facebook)"), ("fb-choyentu", "Chợ Yên Tử online (Facebook)"),
    ("zalo-to5vangdanh", "Zalo tổ 5 Vàng Danh"), ("tiktok-qnnews", "TikTok @quangninhnews"),
]
NATIONAL = [("vnexpress-thoi-su", "VnExpress"), ("tuoitre-thoi-su", "Tuổi Trẻ"), ("thanhnien-thoi-su", "Thanh Niên"),
            ("nld", "Người Lao Động")]

# (display, short, 2025 ward, level)
PLACES = [
    ("phường Vàng Danh", "Vàng Danh", "phường Vàng Danh", "phường"),
    ("phường Bắc Sơn", "Bắc Sơn", "phường Vàng Danh", "phường"),
    ("phường Nam Khê", "Nam Khê", "phường Vàng Danh", "phường"),
    ("phường Quang Trung", "Quang Trung", "phường Uông Bí", "phường"),
    ("phường Thanh Sơn", "Thanh Sơn", "phường Uông Bí", "phường"),
    ("phường Trưng Vương", "Trưng Vương", "phường Uông Bí", "phường"),
    ("phường Yên Thanh", "Yên Thanh", "phường Uông Bí", "phường"),
    ("phường Phương Đông", "Phương Đông", "phường Yên Tử", "phường"),
    ("phường Phương Nam", "Phương Nam", "phường Yên Tử", "phường"),
    ("xã Thượng Yên Công", "Thượng Yên Công", "phường Yên Tử", "xã"),
]
ROADS = ["Quốc lộ 18", "đường Trần Nhân Tông", "đường Nguyễn Văn Cừ", "đường Vàng Danh", "đường Lê Chân",
         "đường Hoàng Quốc Việt", "cầu Sông Sinh"]
SCHOOLS = ["Trường THCS Trưng Vương", "Trường Tiểu học Quang Trung", "Trường THPT Hoàng Văn Thụ",
           "Trường Mầm non Hoa Hồng", "Trường THCS Nguyễn Trãi"]

# Local background events. Each: topic(s), sentiment, max outlets, press variants, social variants.
# Slots: {P} ward with level, {p} short name, {road}, {school}, {n}, {m}.
EVENTS = [
    (["governance"], "neutral", 3,
     [("Uông Bí tổ chức hội nghị đối thoại với nhân dân {P}",
       "Chiều nay, lãnh đạo UBND thành phố Uông Bí đã đối thoại với hơn {n}0 hộ dân {P} về các kiến nghị liên quan đến hạ tầng, vệ sinh môi trường và thủ tục hành chính."),
      ("Đối thoại trực tiếp giữa chính quyền và người dân {p}",
       "Tại buổi đối thoại ở {P}, người dân nêu {m} nhóm ý kiến, kiến nghị; lãnh đạo thành phố trả lời trực tiếp và giao các phòng chuyên môn giải quyết."),
      ("Lãnh đạo thành phố tiếp thu ý kiến cử tri {p}",
       "Cử tri {P} kiến nghị sửa chữa đường nội khu, bổ sung đèn chiếu sáng; lãnh đạo UBND thành phố ghi nhận và hẹn trả lời bằng văn bản.")],
     [("hom nay co buoi doi thoai voi dan o {p_f}", "ai di hop doi thoai chieu nay o nha van hoa {p_f} k, nghe noi lanh dao tp ve tra loi kien nghi cua ba con")]),
    (["education"], "neutral", 2,
     [("{school} tổ chức lễ khai giảng năm học mới",
       "Sáng nay, hơn {n}00 học sinh {school} ({P}) dự lễ khai giảng; nhà trường trao {m}0 suất học bổng cho học sinh vượt khó."),
      ("Rộn ràng ngày khai trường ở {p}",
       "Lễ khai giảng tại {school} diễn ra trang trọng, lãnh đạo thành phố đánh trống khai trường và tặng quà học sinh có hoàn cảnh khó khăn.")],
     [("chuc cac con nam hoc moi that vui", "sang nay khai giang o {school_f}, nhin cac con ma thuong, chuc thay co va cac con nam hoc moi nhieu niem vui")]),
    (["education"], "negative", 1,
     [("Phụ huynh phản ánh tình trạng dạy thêm tràn lan ở {p}",
       "Nhiều phụ huynh {P} cho biết con em bị gợi ý đi học thêm tại nhà giáo viên với mức phí {n}00.000 đồng mỗi tháng; phòng Giáo dục thành phố cho biết sẽ kiểm tra.")],
     [("lai chuyen hoc them", "con minh hoc lop {m} ma tuan di hoc them 3 buoi, ko di thi co bao bi de y, cac me o {p_f} co the ko")]),
    (["health"], "positive", 2,
     [("Bệnh viện Việt Nam – Thụy Điển Uông Bí phẫu thuật thành công ca bệnh hiếm",
       "Các bác sĩ Bệnh viện Việt Nam – Thụy Điển Uông Bí vừa phẫu thuật thành công cho một bệnh nhân {n}0 tuổi ở {P} bị khối u lớn vùng bụng."),
      ("Cứu sống bệnh nhân bị khối u hiếm gặp",
       "Bệnh nhân nam {n}0 tuổi trú tại {P} đã được các bác sĩ Bệnh viện Việt Nam – Thụy Điển Uông Bí mổ cấp cứu, cắt bỏ khối u nặng {m} kg.")],
     []),
    (["health"], "neutral", 1,
     [("Uông Bí triển khai tiêm vắc xin sởi cho trẻ em",
       "Trung tâm Y tế thành phố Uông Bí tổ chức tiêm vắc xin sởi cho khoảng {n}00 trẻ tại {P}, dự kiến hoàn thành trong {m} ngày.")],
     [("lich tiem soi cho be o {p_f}", "cac me cho hoi lich tiem soi o tram y te {p_f} la thu may a, be nha em {m} tuoi")]),
    (["traffic"], "negative", 2,
     [("Va chạm giữa xe tải và xe máy trên {road}, một người bị thương",
       "Khoảng {m} giờ sáng nay, trên {road} đoạn qua {P}, xe tải chở vật liệu va chạm với xe máy khiến người điều khiển xe máy bị thương, phải đưa đi cấp cứu."),
      ("{p}: Xe máy va chạm xe tải, nam thanh niên nhập viện",
       "Vụ tai nạn xảy ra trên {road} thuộc {P}; công an đang làm rõ nguyên nhân.")],
     [("tai nan o {road_f}", "vua di qua {road_f} doan {p_f} thay xe tai dam xe may, nguoi bi thuong da duoc dua di vien, moi nguoi di cham thoi")]),
    (["traffic"], "negative", 1,
     [("Đường hư hỏng, ổ gà chi chít trên {road}",
       "Nhiều đoạn {road} qua {P} xuống cấp, ổ gà sâu gây nguy hiểm cho người đi xe máy, nhất là khi trời mưa.")],
     [("duong {road_f} o ga qua", "doan qua {p_f} o ga to nhu cai chau, toi qua ko nhin thay, bao gio moi sua day")]),
    (["traffic"], "neutral", 2,
     [("Phân luồng giao thông phục vụ thi công {road}",
       "Từ ngày mai, {road} đoạn qua {P} được phân luồng để thi công cải tạo mặt đường trong {m} tuần.")],
     [("{road_f} cam duong tu mai", "thong bao phan luong {road_f} doan {p_f} de sua duong, ai di lam sang som chu y nhe")]),
    (["environment"], "negative", 1,
     [("Người dân {p} phản ánh bụi than từ xe chở than",
       "Người dân {P} phản ánh xe chở than chạy qua khu dân cư không che chắn kỹ, gây bụi; UBND phường đã đề nghị doanh nghiệp khắc phục.")],
     [("bui than qua troi", "xe than chay ca ngay qua {p_f}, bui bay vao nha lau khong kip, tre con ho suot")]),
    (["environment"], "neutral", 2,
     [("Ra quân tổng vệ sinh môi trường tại {P}",
       "Hơn {n}00 đoàn viên, thanh niên và người dân {P} tham gia thu gom rác thải, khơi thông cống rãnh."),
      ("Người dân {p} chung tay làm sạch môi trường",
       "Sáng chủ nhật, các khu phố ở {P} đồng loạt tổng vệ sinh, thu gom {m} tấn rác thải.")],
     [("cn nay don ve sinh khu pho", "khu pho minh o {p_f} sang cn don ve sinh, ai ranh thi ra phu mot tay nhe")]),
    (["land"], "negative", 1,
     [("Hộ dân {p} kiến nghị về giá bồi thường giải phóng mặt bằng",
       "Một số hộ dân tại {P} cho rằng mức bồi thường, hỗ trợ khi thu hồi đất làm dự án chưa thỏa đáng; Ban quản lý dự án thành phố cho biết sẽ rà soát.")],
     [("den bu dat thap qua", "nha minh o {p_f} bi thu hoi {m}0m2 ma den bu co vai tram trieu, mua dat cho khac khong du")]),
    (["land"], "neutral", 2,
     [("Uông Bí đẩy nhanh tiến độ giải phóng mặt bằng dự án đường liên kết vùng",
       "Đến nay thành phố đã bàn giao {n}0% mặt bằng dự án qua {P}, phấn đấu hoàn thành trong quý này.")],
     []),
    (["economy"], "positive", 3,
     [("Công ty Than Vàng Danh vượt kế hoạch sản lượng tháng",
       "Trong tháng, Công ty CP Than Vàng Danh – Vinacomin khai thác hơn {n}00.000 tấn than, vượt {m}% kế hoạch."),
      ("Than Vàng Danh đạt sản lượng cao",
       "Đơn vị ngành than đóng trên địa bàn {P} tiếp tục duy trì sản xuất ổn định, thu nhập bình quân của thợ lò đạt {m}0 triệu đồng/tháng."),
      ("TKV: Than Vàng Danh hoàn thành vượt mức kế hoạch",
       "Sản lượng than nguyên khai của Than Vàng Danh tháng qua vượt kế hoạch, thu nhập người lao động tăng.")],
     []),
    (["economy"], "neutral", 1,
     [("Phiên giao dịch việc làm tại Uông Bí thu hút {n}00 lao động",
       "Phiên giao dịch việc làm tổ chức tại {P} có {m}0 doanh nghiệp tham gia tuyển dụng.")],
     [("tuyen tho lo luong cao", "cong ty than o {p_f} dang tuyen tho lo, luong {m}0 trieu, ai can viec ib minh")]),
    (["culture_tourism"], "positive", 3,
     [("Hàng nghìn du khách về Yên Tử dịp cuối tuần",
       "Khu di tích Yên Tử đón khoảng {n}.000 lượt khách trong hai ngày cuối tuần; lực lượng chức năng bố trí phân luồng, giữ trật tự."),
      ("Yên Tử đông khách hành hương",
       "Lượng khách về danh thắng Yên Tử tăng mạnh; Ban quản lý khuyến cáo du khách đi cáp treo đúng giờ, giữ gìn vệ sinh."),
      ("Danh thắng Yên Tử thu hút du khách",
       "Cuối tuần qua, Yên Tử đón hàng nghìn du khách thập phương, các dịch vụ hoạt động ổn định.")],
     [("yen tu cuoi tuan dong qua", "len yen tu ma xep hang cap treo mat {m} tieng, ai dinh di thi nen di som")]),
    (["culture_tourism"], "neutral", 2,
     [("Khai mạc lễ hội văn hóa, thể thao {P}",
       "Lễ hội diễn ra trong {m} ngày với các môn thi đấu thể thao, văn nghệ quần chúng của các khu phố."),
      ("Sôi nổi ngày hội văn hóa ở {p}",
       "Người dân {P} tham gia các trò chơi dân gian, thi đấu bóng chuyền, văn nghệ.")],
     []),
    (["welfare"], "positive", 2,
     [("Trao {m}0 suất quà cho hộ nghèo {P}",
       "Ủy ban MTTQ thành phố Uông Bí phối hợp các nhà hảo tâm trao quà cho hộ nghèo, hộ cận nghèo tại {P}."),
      ("Hỗ trợ hộ khó khăn ở {p}",
       "Mỗi suất quà gồm tiền mặt và nhu yếu phẩm trị giá {n}00.000 đồng.")],
     [("xin giup do hoan canh kho khan", "nha chi o {p_f} chong mat, hai con nho, ai giup duoc gi thi ib minh voi a")]),
    (["public_order"], "negative", 1,
     [("Công an {P} bắt đối tượng trộm cắp xe máy",
       "Công an phường {p} vừa bắt giữ một đối tượng {n}0 tuổi trộm cắp {m} xe máy trên địa bàn.")],
     [("mat xe may o {p_f}", "toi qua nha em o {p_f} bi mat xe may de trong san, ai thay xe wave bien {n}{m} thi bao em voi")]),
    (["misinformation_fraud"], "negative", 1,
     [("Cảnh báo thủ đoạn giả danh nhân viên điện lực lừa đảo",
       "Công an TP Uông Bí cảnh báo đối tượng gọi điện giả danh nhân viên điện lực, yêu cầu người dân {P} cài ứng dụng để thanh toán tiền điện.")],
     [("canh giac cuoc goi gia dien luc", "me em o {p_f} vua bi goi xung dien luc bao no tien dien, bat cai app, ca nha canh giac nhe")]),
    (["religion"], "neutral", 1,
     [("Khai mạc khóa tu mùa hè tại chùa ở {p}",
       "Khóa tu thu hút {n}00 bạn trẻ tham gia, diễn ra trong {m} ngày.")],
     [("khoa tu he cho cac con", "nam nay chua gan {p_f} co khoa tu he {m} ngay khong ca nha, cho con di cho biet")]),
    (["disaster"], "neutral", 1,
     [("Uông Bí chủ động phương án phòng chống mưa bão",
       "Thành phố yêu cầu các phường, trong đó có {P}, kiểm tra khu vực có nguy cơ sạt lở, ngập úng.")],
     []),
    (["governance"], "neutral", 2,
     [("HĐND thành phố Uông Bí giám sát công tác cải cách hành chính tại {P}",
       "Đoàn giám sát ghi nhận {P} giải quyết đúng hạn {n}0% hồ sơ, đề nghị đẩy mạnh dịch vụ công trực tuyến."),
      ("Giám sát cải cách hành chính ở {p}",
       "Đoàn giám sát của HĐND thành phố làm việc với {P} về kết quả giải quyết thủ tục hành chính.")],
     []),
    (["governance"], "negative", 1,
     [("Người dân {p} chờ cả tháng chưa được cấp sổ đỏ",
       "Nhiều hộ dân {P} phản ánh hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ {m} tháng trước vẫn chưa có kết quả.")],
     [("lam so do lau qua", "nop ho so so do o {p_f} tu thang {m} den gio chua xong, len hoi thi bao cho")]),
    (["public_order"], "neutral", 2,
     [("Ra mắt mô hình camera an ninh tại {P}",
       "Công an {P} phối hợp người dân lắp {n}0 camera giám sát tại các tuyến ngõ, góp phần giữ an ninh trật tự."),
      ("{p} lắp camera giữ gìn an ninh khu dân cư",
       "Mô hình camera an ninh do người dân đóng góp kinh phí, kết nối với công an phường.")],
     []),
    (["economy"], "neutral", 1,
     [("Chợ trung tâm Uông Bí cải tạo khu kinh doanh",
       "Ban quản lý chợ bố trí lại {n}0 ki-ốt, tiểu thương {P} đề nghị giảm phí trong thời gian thi công.")],
     [("gia rau o cho tang", "ra cho {p_f} sang nay rau muong {m}0 nghin mot bo, dat qua ca nha a")]),
    (["welfare"], "neutral", 1,
     [("Chi trả trợ cấp xã hội tháng {m} tại {P}",
       "Bưu điện thành phố chi trả trợ cấp cho {n}00 đối tượng bảo trợ xã hội trên địa bàn {P}.")],
     [("hoi ve tro cap nguoi gia", "ong nha minh o {p_f} {m}0 tuoi thi lam ho so tro cap o dau moi nguoi")]),
    (["culture_tourism"], "positive", 1,
     [("Phát triển du lịch cộng đồng ở {p}",
       "Nhiều hộ dân {P} mở homestay, đón khách trải nghiệm văn hóa, ẩm thực địa phương.")],
     [("review homestay {p_f}", "cuoi tuan di {p_f} o homestay view doi cuc chill, gia {n}00k/dem, recommend moi nguoi")]),
    (["health"], "negative", 1,
     [("Người bệnh phản ánh phải chờ lâu khi khám tại trạm y tế {p}",
       "Nhiều người dân {P} cho biết phải chờ {m} tiếng mới được khám, thiếu bác sĩ vào buổi chiều.")],
     [("kham benh cho lau", "sang nay dua me di kham o tram y te {p_f} cho tu 7h den 11h chua toi luot")]),
    (["disaster"], "negative", 1,
     [("Mưa lớn gây ngập cục bộ tại {P}",
       "Cơn mưa kéo dài {m} giờ khiến nhiều tuyến đường ở {P} ngập sâu, một số hộ dân bị nước tràn vào nhà.")],
     [("ngap o {p_f}", "mua co {m} tieng ma duong o {p_f} ngap den dau goi, cong thoat nuoc kem qua")]),
]

NATIONAL_NEWS = [
    ("Quốc hội thảo luận dự án Luật Đất đai sửa đổi", "Các đại biểu cho ý kiến về cơ chế thu hồi đất, bồi thường, hỗ trợ, tái định cư."),
    ("Giá xăng dầu giảm nhẹ từ chiều nay", "Liên Bộ Công Thương – Tài chính điều chỉnh giá bán lẻ xăng dầu."),
    ("Hà Nội tổ chức thi tuyển sinh lớp 10", "Hơn 100.000 thí sinh dự thi tại các điểm thi trên địa bàn thành phố."),
    ("TP HCM ùn tắc nghiêm trọng giờ cao điểm", "Nhiều tuyến đường ở trung tâm thành phố kẹt xe kéo dài sau cơn mưa lớn."),
    ("Cảnh báo lũ quét, sạt lở đất ở miền núi phía Bắc", "Trung tâm Dự báo khí tượng thủy văn quốc gia cảnh báo mưa lớn ở Hà Giang, Lào Cai, Yên Bái."),
    ("Bộ Y tế khuyến cáo phòng bệnh sốt xuất huyết", "Số ca mắc sốt xuất huyết tăng ở nhiều tỉnh phía Nam."),
    ("Xuất khẩu nông sản tăng mạnh trong tháng", "Kim ngạch xuất khẩu rau quả, gạo, cà phê đều tăng so với cùng kỳ."),
    ("Đội tuyển Việt Nam chuẩn bị cho vòng loại", "Huấn luyện viên triệu tập 26 cầu thủ cho hai trận đấu sắp tới."),
    ("Ngân hàng Nhà nước điều hành lãi suất", "Lãi suất huy động tại nhiều ngân hàng thương mại tiếp tục giảm nhẹ."),
    ("Triệt phá đường dây lừa đảo qua mạng ở Đà Nẵng", "Công an thành phố bắt giữ 12 đối tượng, thu giữ nhiều thiết bị."),
    ("Khởi công cao tốc Bắc – Nam đoạn qua miền Trung", "Dự án dài hơn 100 km, dự kiến hoàn thành sau ba năm."),
    ("Nghệ An: Cháy xưởng gỗ, thiệt hại hàng tỷ đồng", "Lực lượng PCCC mất nhiều giờ mới khống chế được đám cháy."),
    ("Giá vàng trong nước biến động mạnh", "Giá vàng miếng tăng giảm thất thường theo giá thế giới."),
    ("Bộ Giáo dục công bố phương án thi tốt nghiệp", "Kỳ thi giữ ổn định về cấu trúc, thí sinh thi 4 môn."),
    ("Hải Phòng mở rộng cảng nước sâu Lạch Huyện", "Hai bến container mới được đưa vào khai thác."),
    ("Thủ tướng chỉ đạo đẩy nhanh giải ngân đầu tư công", "Các bộ, ngành, địa phương được yêu cầu tháo gỡ vướng mắc."),
    ("Miền Tây chủ động ứng phó hạn mặn", "Nhiều địa phương tích trữ nước ngọt phục vụ sản xuất và sinh hoạt."),
    ("Phát hiện cơ sở sản xuất thực phẩm bẩn ở Bắc Ninh", "Lực lượng quản lý thị trường thu giữ hàng tấn nguyên liệu không rõ nguồn gốc."),
]

# The burst: 12 items about one incident, 10 sources, 4 hours. (minutes after the first item, source, title, text)
BURST = [
    (0, "fb-vangdanh", "sat lo bai thai o vang danh, dat da tran xuong nha dan",
     "mua to ca dem, bai thai mo than tren doi sat xuong, vui 2 cai nha o to 5 vang danh, moi nguoi tranh xa khu vuc nay nhe"),
    (18, "zalo-to5vangdanh", "khan cap: sat lo dat da o to 5 vang danh",
     "dat da tu bai thai than do xuong khu dan cu to 5, co 2 nha bi vui, cong an phuong dang so tan ba con"),
    (41, "baoquangninh", "Sạt lở bãi thải than ở phường Vàng Danh, 2 nhà dân bị vùi lấp",
     "Rạng sáng nay, một đoạn bãi thải của mỏ than tại phường Vàng Danh, TP Uông Bí bị sạt trượt sau mưa lớn, đất đá tràn xuống khu dân cư làm 2 ngôi nhà bị vùi lấp."),
    (63, "fb-uongbi24h", "vang danh sat lo bai thai, 2 nha bi vui lap",
     "anh em o vang danh cho hoi tinh hinh sat lo bai thai the nao roi, nghe noi 2 nha bi dat da vui lap, co ai bi thuong khong"),
    (80, "qtv", "Uông Bí: Sạt lở bãi thải mỏ than, khẩn cấp sơ tán người dân",
     "Sau trận mưa lớn kéo dài, khối đất đá từ bãi thải than ở phường Vàng Danh đã trượt xuống, vùi lấp hai căn nhà; chính quyền khẩn cấp sơ tán các hộ dân lân cận."),
    (105, "vnexpress", "Đất đá từ bãi thải than vùi lấp hai nhà dân ở Quảng Ninh",
     "Hàng nghìn mét khối đất đá từ bãi thải của mỏ than ở phường Vàng Danh, TP Uông Bí, trượt xuống sau mưa lớn, vùi lấp hai nhà dân, nhiều hộ phải sơ tán."),
    (131, "dantri", "Quảng Ninh: Sạt lở bãi thải than, hàng chục hộ dân phải sơ tán",
     "Vụ sạt lở bãi thải than xảy ra tại tổ 5, phường Vàng Danh. Chính quyền đã di dời hàng chục hộ dân ra khỏi vùng nguy hiểm."),
    (150, "fb-hoiyeuuongbi", "thuong ba con vang danh bi sat lo bai thai",
     "bai thai than sat xuong vui nha ba con o vang danh, ai co the ung ho quan ao do dung thi mang ra nha van hoa to 5 nhe"),
    (176, "tuoitre", "Sạt lở bãi thải mỏ than ở Uông Bí, vùi lấp 2 căn nhà",
     "Mưa lớn khiến bãi thải mỏ than ở phường Vàng Danh (TP Uông Bí, Quảng Ninh) bị sạt lở; đất đá vùi lấp 2 căn nhà, rất may không có thương vong."),
    (200, "tiktok-qnnews", "canh sat lo bai thai than vang danh sang nay",
     "clip dat da bai thai than tran xuong nha dan o vang danh uong bi, 2 nha bi vui lap, dan so tan"),
    (221, "laodong", "Người dân bức xúc vì bãi thải than sạt lở vùi lấp nhà",
     "Người dân tổ 5 phường Vàng Danh bức xúc cho rằng bãi thải than đã có dấu hiệu nứt từ trước nhưng không được xử lý, đến khi mưa lớn thì sạt lở vùi lấp nhà dân."),
    (240, "baoquangninh", "Khắc phục hậu quả sạt lở bãi thải than tại Vàng Danh",
     "Lãnh đạo tỉnh yêu cầu doanh nghiệp ngành than khẩn trương khắc phục sự cố sạt lở bãi thải, hỗ trợ các hộ dân bị vùi lấp nhà và kiểm tra toàn bộ các bãi thải trên địa bàn."),
]
BURST_NEUTRAL = {11}  # index of items a tagger would call neutral (official response)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def strip_marks(s: str) -> str:
    nfd = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in nfd if not unicodedata.combining(c)))


def place_tags(place: tuple[str, str, str, str], text: str) -> dict:
    display, short, ward, level = place
    folded = strip_marks(text).lower()
    matched = short if short.lower() in text.lower() else strip_marks(short).lower() if strip_marks(short).lower() in folded else display
    return {
        "places": [display, "TP Uông Bí"],
        "place_details": [
            {"name": display, "level": level, "name_2025": ward, "code_2025": None, "province": "Quảng Ninh",
             "matched_text": matched, "old_name": display if display != ward else None},
            {"name": "Uông Bí", "level": "thành phố (cũ)", "name_2025": None, "code_2025": None,
             "province": "Quảng Ninh", "matched_text": "Uông Bí", "old_name": "TP Uông Bí"},
        ],
        "in_area": True,
    }


def _fill(s: str, slots: dict) -> str:
    return _nfc(s.format(**slots))


def _row(rid: str, src: tuple[str, str], when: datetime, title: str, text: str, tags: dict, truth: dict) -> dict:
    return {
        "id": rid, "source": src[0], "outlet": src[1], "url": f"https://example.invalid/{src[0]}/{rid}",
        "title": title, "text": text, "published": when.isoformat(timespec="seconds"),
        "source_type": "social" if src in SOCIAL else "press", "tags": tags, "truth": truth,
    }


def background(rng: random.Random, days: int, start: datetime = START, per_day: int = 20) -> list[dict]:
    rows: list[dict] = []
    n_local_events = 0
    used_today: set[int] = set()
    for day in range(days):
        used_yesterday = used_today
        d0 = start + timedelta(days=day)
        produced = 0
        # national news: ~6 items a day, singletons, not in the area
        for k in range(rng.randint(5, 7)):
            title, text = rng.choice(NATIONAL_NEWS)
            when = d0 + timedelta(minutes=rng.randint(6 * 60, 22 * 60))
            rid = f"bg-{day:02d}-nat-{k}"
            topic = rng.choice(["economy", "governance", "traffic", "health", "education", "disaster"])
            rows.append(_row(rid, rng.choice(NATIONAL), when, _nfc(title), _nfc(text),
                             {"topics": [topic], "sentiment": "neutral", "in_area": False, "places": [],
                              "place_details": []},
                             {"event": f"nat-{day}-{k}", "kind": "background"}))
            produced += 1
        # the slow complaint thread: one social post a day about coal dust in Nam Khê
        when = d0 + timedelta(minutes=rng.randint(7 * 60, 21 * 60))
        place = PLACES[2]
        text = rng.choice([
            "xe than lai chay qua nam khe bui mu mit, ai co so dien thoai cua phuong thi phan anh giup",
            "hom nay bui than o nam khe van nhu cu, phoi quan ao khong duoc",
            "duong qua nam khe xe than roi vai tung manh, bui bay khap noi, de nghi xu ly",
            "cac nha o nam khe co thay bui than nhieu hon khong, toi nay ngui thay mui than",
        ])
        rows.append(_row(f"bg-{day:02d}-dust", rng.choice(SOCIAL), when, "bui than o nam khe", text,
                         {"topics": ["environment"], "sentiment": "negative", **place_tags(place, text)},
                         {"event": "dust-thread", "kind": "background"}))
        produced += 1
        # local events until the day has about per_day items; a template is used at most once a day
        # and not two days running (routine news does not repeat word for word every day)
        pool = [e for i, e in enumerate(EVENTS) if i not in used_yesterday]
        rng.shuffle(pool)
        used_today: set[int] = set()
        target = per_day + rng.randint(-2, 2)
        while produced < target and pool:
            ev = pool.pop()
            used_today.add(EVENTS.index(ev))
            topics, sentiment, max_out, press_v, social_v = ev
            place = rng.choice(PLACES)
            slots = {"P": place[0], "p": place[1], "p_f": strip_marks(place[1]).lower(),
                     "road": rng.choice(ROADS), "school": rng.choice(SCHOOLS), "n": rng.randint(2, 9),
                     "m": rng.randint(2, 9)}
            slots["road_f"] = strip_marks(slots["road"]).lower()
            slots["school_f"] = strip_marks(slots["school"]).lower()
            # how many outlets carry it: mostly one, sometimes two, rarely three (never above its max)
            k = min(max_out, rng.choices([1, 2, 3], weights=[65, 25, 10])[0])
            variants = [("press", v) for v in press_v] + [("social", v) for v in social_v]
            rng.shuffle(variants)
            chosen = variants[:k]
            t0 = d0 + timedelta(minutes=rng.randint(6 * 60, 21 * 60))
            ev_id = f"ev-{n_local_events}"
            n_local_events += 1
            press_srcs = rng.sample(PRESS_LOCAL, len(PRESS_LOCAL))
            social_srcs = rng.sample(SOCIAL, len(SOCIAL))
            for j, (kind, (title, text)) in enumerate(chosen):
                when = t0 + timedelta(minutes=rng.randint(0, 300) if j else 0)
                src = press_srcs.pop() if kind == "press" else social_srcs.pop()
                title_s, text_s = _fill(title, slots), _fill(text, slots)
                tags = {"topics": list(topics), "sentiment": sentiment, **place_tags(place, title_s + " " + text_s)}
                rows.append(_row(f"bg-{day:02d}-{ev_id}-{j}", src, when, title_s, text_s, tags,
                                 {"event": ev_id, "kind": "background"}))
                produced += 1
    return rows


def burst_rows(at: datetime, prefix: str = "burst") -> list[dict]:
    srcs = {s[0]: s for s in PRESS_LOCAL + SOCIAL}
    out = []
    for i, (minutes, src, title, text) in enumerate(BURST):
        sentiment = "neutral" if i in BURST_NEUTRAL else "negative"
        tags = {"topics": ["disaster", "environment"], "sentiment": sentiment,
                **place_tags(PLACES[0], _nfc(title + " " + text))}
        out.append(_row(f"{prefix}-{i:02d}", srcs[src], at + timedelta(minutes=minutes), _nfc(title), _nfc(text),
                        tags, {"event": prefix, "kind": "burst"}))
    return out


# Confusers of the burst (minutes relative to the burst's first item, source, title, text, where):
# a landslide in another province the same day and the evening before ("quang nam"), told with the
# burst's words, and an earlier, separate landslide in phường Bắc Sơn cũ (now phường Vàng Danh, the
# burst's own 2025 ward) the morning before.
CONFUSERS = [
    (-22 * 60, "baoquangninh", "Sạt lở taluy ở phường Bắc Sơn, đất đá tràn vào nhà dân",
     "Mưa lớn đêm qua gây sạt lở taluy dương tại khu 3, phường Bắc Sơn, đất đá tràn vào một nhà dân; rất may không có thiệt hại về người.", "bac son"),
    (-21 * 60 - 20, "fb-hoiyeuuongbi", "sat lo taluy o bac son",
     "dat da sat tu taluy sau nha o khu 3 bac son tran vao nha, may ma ca nha chay ra kip, mn o gan doi de y nhe", "bac son"),
    (-9 * 60, "vnexpress-thoi-su", "Quang Nam: sat lo nui vui lap duong vao huyen mien nui",
     "Mua lon keo dai khien hang nghin met khoi dat da tu tren nui sat xuong, vui lap tuyen duong vao huyen mien nui cua Quang Nam; nhieu ho dan phai so tan.", "quang nam"),
    (-95, "tuoitre-thoi-su", "Sạt lở núi ở Quảng Nam, hàng chục hộ dân phải sơ tán",
     "Đất đá sạt lở sau mưa lớn đã vùi lấp một đoạn đường và uy hiếp nhiều nhà dân ở vùng núi Quảng Nam; chính quyền khẩn cấp sơ tán người dân.", "quang nam"),
    (35, "nld", "Quảng Nam: Sạt lở núi vùi lấp nhà dân, một người mất tích",
     "Mưa lớn khiến núi sạt lở, đất đá vùi lấp hai nhà dân ở miền núi Quảng Nam, một người mất tích; lực lượng cứu hộ đang tìm kiếm.", "quang nam"),
    (70, "thanhnien-thoi-su", "Sạt lở núi ở Quảng Nam: khẩn cấp sơ tán hàng chục hộ dân",
     "Chính quyền tỉnh Quảng Nam khẩn cấp sơ tán hàng chục hộ dân khỏi vùng sạt lở núi sau mưa lớn; đất đá vùi lấp nhiều đoạn đường.", "quang nam"),
]
QUANG_NAM = {"name": "tỉnh Quảng Nam", "level": "province", "name_2025": "Thành phố Đà Nẵng", "code_2025": None,
             "province": "Quảng Nam", "matched_text": "Quảng Nam", "old_name": None}


def confuser_rows(at: datetime, prefix: str = "cf") -> list[dict]:
    """The CONFUSERS timed around a burst starting at `at`, with the tags a tagger gives them."""
    srcs = {s[0]: s for s in PRESS_LOCAL + SOCIAL + NATIONAL}
    out = []
    for i, (minutes, src, title, text, where) in enumerate(CONFUSERS):
        title, text = _nfc(title), _nfc(text)
        if where == "quang nam":
            places = {"places": ["tỉnh Quảng Nam cũ, nay TP Đà Nẵng"], "place_details": [QUANG_NAM], "in_area": False}
        else:
            places = place_tags(PLACES[1], title + " " + text)
        tags = {"topics": ["disaster"], "sentiment": "negative", **places}
        out.append(_row(f"{prefix}-{i:02d}", srcs[src], at + timedelta(minutes=minutes), title, text, tags,
                        {"event": f"{prefix}-{where.replace(' ', '-')}", "kind": "background"}))
    return out


def burst_week(seed: int, weeks: int = 1) -> list[dict]:
    """`weeks` weeks of background; the burst starts at 05:30 on day 4 of the first week (Vietnam time)."""
    rng = random.Random(seed)
    rows = background(rng, 7 * weeks)
    rows += burst_rows(START + timedelta(days=3, hours=5, minutes=30))
    return sorted(rows, key=lambda r: (r["published"], r["id"]))


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20250714)
    ap.add_argument("--weeks", type=int, default=1)
    ap.add_argument("--out", help="write one burst-week stream here instead of the fixtures")
    args = ap.parse_args()
    if args.out:
        write(Path(args.out), burst_week(args.seed, args.weeks))
        return
    write(FIXTURES / "burst_week.jsonl", burst_week(args.seed))
    # a short stream for the CLI end-to-end test: two days of background with the burst on day 2
    rng = random.Random(args.seed + 1)
    short = background(rng, 2) + burst_rows(START + timedelta(days=1, hours=9))
    write(FIXTURES / "burst_short.jsonl", sorted(short, key=lambda r: (r["published"], r["id"])))


if __name__ == "__main__":
    main()
