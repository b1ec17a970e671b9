"""Question analysis on its own: cleaning, the role asked, agencies, provinces, plan numbers, what value is asked."""

from __future__ import annotations

import re

import pytest

from assistant.analysis import MAX_QUESTION_CHARS, clean
from index.errors import QuestionError
from index.text import fold


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Ai chủ trì nhiệm vụ phát triển hầm biogas?", "lead"),
        ("ai lo vu ham biogas o ca mau", "lead"),
        ("sở nào phối hợp với Sở Tài nguyên và Môi trường Cà Mau", "coordinate"),
        ("Khi nào hoàn thành việc xây dựng nền tảng?", "time"),
        ("Kinh phí nuôi sò huyết là bao nhiêu?", "budget"),
        ("Sở Tài chính Bến Tre có nhiệm vụ gì?", "duty"),
        ("Kế hoạch 56 của Hưng Yên do ai ký?", "fact"),
        ("bao nhiêu lớp tập huấn", "target"),
        # who gathers others' proposals is asked, not on whose proposal the plan was issued (Lai Châu KH 7360)
        ("Cơ quan nào làm đầu mối gom đề xuất của các cơ quan, đơn vị để trình phân bổ kinh phí?", "lead"),
        ("Kế hoạch được ban hành theo đề xuất của cơ quan nào?", "fact"),
        ("Sở Tài chính bắt tay với mấy sở nào để hướng dẫn tích hợp dữ liệu quy hoạch?", "coordinate"),
        ("cổng thông tin về bảo vệ dữ liệu cá nhân là bộ nào được giao xây dựng vậy?", "lead"),
        ("bộ vhttdl giao cục nào soạn bộ quy tắc ứng xử?", "lead"),
        # what an agency is to do, asked by the thing done: a duty, though 'chủ trì' is said
        ("Sở Công Thương Cà Mau phải tuyên truyền cho doanh nghiệp chuyện gì?", "duty"),
        ("sở tài chính bến tre còn phải chủ trì xây dựng đề án gì nữa?", "duty"),
        ("sở nào phải chủ trì xây dựng đề án về rác thải?", "lead"),
        ("lực lượng nào đi tuần tra phát hiện vi phạm về rừng?", "lead"),
        ("luc luong nao phoi hop voi kiem lam tuan tra rung?", "coordinate"),
        # an interest rate is a figure the plan sets, not money spent
        ("vay vốn ngân hàng chính sách được giảm lãi suất bao nhiêu?", "target"),
    ],
)
def test_intent(analyzer, question, intent):
    assert analyzer.analyze(question).intent == intent


def test_agencies_from_aliases(analyzer):
    q = analyzer.analyze("Sở NN&PTNT làm gì?")
    assert q.agencies == ("Sở Nông nghiệp và Phát triển nông thôn",) and q.intent == "duty"
    assert analyzer.analyze("Sở Tài chính Bến Tre có nhiệm vụ gì?").agencies == ("Sở Tài chính",)


def test_provinces_in_and_out_of_the_corpus(analyzer):
    q = analyzer.analyze("ai lo vu ham biogas o ca mau")
    assert q.provinces == ("Cà Mau",) and q.other_provinces == () and not q.accented
    q = analyzer.analyze("Đồng Tháp giao sở nào chủ trì?")
    assert q.provinces == () and q.other_provinces == ("Đồng Tháp",)
    q = analyzer.analyze("So sánh Cà Mau và Hưng Yên")
    assert q.provinces == ("Cà Mau", "Hưng Yên") and q.compare


def test_chat_shorthand_and_province_short_forms(analyzer):
    q = analyzer.analyze("o HY so nao lo van hanh nen tang chia se du lieu ktth v")
    assert q.provinces == ("Hưng Yên",) and q.intent == "lead"
    assert "vận hành nền tảng chia sẻ dữ liệu" in q.restored
    # digital-government shorthand spelled out as the plans write it; 'cđs' left alone ('số' would read as 'Sở')
    q = analyzer.analyze(
        "bao dam an toan thong tin cho may cai csdl, ung dung cntt thi ben nao chu tri? kh cđs giao thong"
    )
    assert "cơ sở dữ liệu" in q.restored and "công nghệ thông tin" in q.restored, q.restored
    assert not any("Giao thông" in a for a in q.agencies), q.agencies


def test_plan_numbers_but_not_years(analyzer):
    assert analyzer.analyze("Kế hoạch 56 của Hưng Yên do ai ký?").plan_numbers == ("56",)
    assert analyzer.analyze("kế hoạch 2025 của Hưng Yên do ai ký?").plan_numbers == ()


def test_asked_values(analyzer):
    assert analyzer.analyze("Kế hoạch 56 do ai ký?").asks.fact == "signer"
    assert analyzer.analyze("trước ngày nào phải nộp báo cáo?").asks.time_grain == "day"
    counted = analyzer.analyze("bao nhiêu lớp tập huấn").asks
    assert counted.counted and "lop" in counted.unit


def test_the_unit_asked_after_bao_nhieu(analyzer):
    # an area in square metres, written either way, needs a figure in m2
    for q in ("công trình từ bao nhiêu mét vuông là công trình lớn?", "nhu cầu đất là bao nhiêu m2?"):
        unit = analyzer.analyze(q).asks.unit
        assert re.search(unit, fold("lớn (>10.000 m2)")) and not re.search(unit, "10.000 người"), q
    # a word that opens the next phrase is no unit ('bao nhiêu theo Kế hoạch', 'ngày mấy mỗi năm', 'điều mấy của')
    for q in (
        "quan trắc với tần suất bao nhiêu theo Kế hoạch 0134?",
        "báo cáo chậm nhất ngày mấy mỗi năm?",
        "chỉ thị dẫn điều mấy của Luật Tài nguyên nước?",
    ):
        assert not analyzer.analyze(q).asks.counted, q
    # a count of a noun of two words, in digits or in words, but 'một số' is 'some'
    unit = analyzer.analyze("mỗi xã có bao nhiêu mô hình kinh tế tuần hoàn?").asks.unit
    assert re.search(unit, fold("mỗi xã có một mô hình")) and re.search(unit, "02 mo hinh")
    assert not re.search(unit, fold("một số mô hình"))


def test_english_is_recognised(analyzer):
    assert analyzer.analyze("Who leads the biogas task in the plan?").english
    assert not analyzer.analyze("Ai chủ trì hầm biogas?").english
    # unaccented Vietnamese with 'the' twice ('thể chế', 'thể thao') among many words is not English
    assert not analyzer.analyze(
        "don vi nao nghien cuu, tham muu ban hanh co che chinh sach, hoan thien the che ve quy hoach mang luoi co so "
        "van hoa the thao?"
    ).english


def test_the_digital_so_is_no_department(analyzer):
    """'chuyển đổi số giao thông' folds like 'Sở Giao thông': the digital 'số' names no agency."""
    q = analyzer.analyze("Trong kh chuyển đổi số giao thông, bên nào chủ trì giám sát vi phạm trật tự ATGT?")
    assert not q.agencies, q.agencies
    q = analyzer.analyze("so giao thong van tai chu tri viec gi")
    assert q.agencies, "a department typed without accents is still one"


def test_where_money_comes_from_is_no_place(analyzer):
    asks = analyzer.analyze("ubnd xa phuong lay kinh phi o dau de lam cong tac phong chong ma tuy?").asks
    assert not asks.place and asks.budget == "sources", asks
    assert analyzer.analyze("Đại hội thể thao dự kiến tổ chức tại thành phố nào?").asks.place
    assert analyzer.analyze("trung tâm dữ liệu đặt ở đâu?").asks.place


def test_time_limits_and_moments_are_time_questions(analyzer):
    q = analyzer.analyze("Các sở phải gửi kế hoạch cụ thể về UBND thành phố trong thời hạn bao lâu?")
    assert q.intent == "time" and q.asks.time_grain == "span", (q.intent, q.asks)
    q = analyzer.analyze("báo cáo bao lâu một lần?")
    assert q.asks.time_grain != "span"
    q = analyzer.analyze("Quyết định ban hành Chương trình quốc gia phải được ban hành trước thời điểm nào?")
    assert q.intent == "time", q.intent


def test_clean_strips_markup_controls_and_emoji():
    assert clean("<script>alert(1)</script> 🙂 ai chủ trì\x07 hầm biogas") == "alert(1) ai chủ trì hầm biogas"


@pytest.mark.parametrize(
    "bad, message",
    [("", "trống"), ("  \t", "trống"), ("🙂🙂", "không có chữ"), ("a" * (MAX_QUESTION_CHARS + 1), "quá dài")],
)
def test_clean_refuses_what_is_not_a_question(bad, message):
    with pytest.raises(QuestionError, match=message):
        clean(bad)


@pytest.mark.parametrize(
    "question, answer, lacks",
    [
        # a deadline asked, a duty without any time answered: abstain
        ("các phường phải nộp báo cáo trước ngày nào?", "Sở Y tế: Xây dựng tài liệu tuyên truyền.", "time"),
        ("các phường phải nộp báo cáo trước ngày nào?", "Trước ngày 15/12 hằng năm.", ""),
        ("Sở X báo cáo khi nào?", "Thực hiện thường xuyên.", ""),
        # a total sum asked, parameters answered: abstain; a task table's amount (million VND) carries one
        ("Tổng kinh phí của kế hoạch là bao nhiêu tiền?", "Các thông số: pH, DO 2 lần/tháng.", "money"),
        ("Tổng kinh phí của kế hoạch là bao nhiêu tiền?", "Kinh phí: 523\nCơ quan chủ trì: Sở X", ""),
        # 'trong vòng bao nhiêu ngày' needs a number of days
        ("phải thông báo trong vòng bao nhiêu ngày?", "số lượng mẫu quan trắc 336 mẫu/năm.", "unit"),
        ("phải thông báo trong vòng bao nhiêu ngày?", "trong thời hạn 10 ngày.", ""),
        # 'who' asked, a task without anyone answered: abstain
        ("bộ nào xây dựng cổng thông tin?", "Xây dựng Cổng thông tin quốc gia về dữ liệu.", "agency"),
        ("bộ nào xây dựng cổng thông tin?", "Cơ quan chủ trì: Bộ Công an.", ""),
        # the date of a document the answer cites is not the deadline asked, unless the question names that document
        ("phải báo cáo trước ngày nào?", "Căn cứ Quyết định số 4255/QĐ-BNN ngày 04/12/2024 của Bộ.", "time"),
        ("Quyết định 4255 ban hành ngày nào?", "Quyết định số 4255/QĐ-BNN ngày 04/12/2024 của Bộ.", ""),
        # 'năm nào' wants a year, not an article number
        ("hạn chót xử lý dứt điểm là năm nào?", "theo quy định tại Điều 102 Luật Lâm nghiệp.", "time"),
        ("hạn chót xử lý dứt điểm là năm nào?", "hoàn thành trong năm 2026.", ""),
        # 'trước ngày mấy hàng tháng' asks a monthly deadline: a one-off date is not it
        ("báo cáo lên phần mềm trước ngày mấy hàng tháng?", "Thời gian thực hiện: 10/10/2025", "time"),
        ("báo cáo lên phần mềm trước ngày mấy hàng tháng?", "cập nhật trước ngày 20 hằng tháng lên phần mềm.", ""),
        ("mỗi tháng quan trắc mấy đợt vào tháng nào?", "tháng 5 đến tháng 8 tần suất 04 đợt/tháng", ""),
        # a sum of money asked whatever the intent: a capacity is not one
        ("tổng mức đầu tư của nhà máy điện LNG là bao nhiêu?", "NMNĐ LNG Quảng Ninh 1500", "money"),
        ("tổng mức đầu tư của nhà máy điện LNG là bao nhiêu?", "Tổng mức đầu tư 2.500 tỷ đồng.", ""),
        # 'đặt ở xã, phường nào' wants a place
        ("trung tâm sẽ đặt ở xã, phường nào?", "Hoàn thiện Trung tâm đổi mới sáng tạo cấp tỉnh.", "place"),
        ("trung tâm sẽ đặt ở xã, phường nào?", "Trung tâm được xây dựng tại phường Cao Lãnh.", ""),
        # 'mấy cái tiêu chuẩn' is 'those standards', not a count
        ("rà soát mấy cái tiêu chuẩn trong khoảng tg nào?", "Thời gian thực hiện: 2025 - 2030", ""),
        # a person asked by the office held: a full name answers it, an agency or 'Hà Nội' does not
        (
            "Kiến trúc sư trưởng chuyển đổi số của Hà Nội là ai vậy?",
            "Cơ quan chủ trì: Sở Khoa học và Công nghệ.",
            "person",
        ),
        ("cv 5095 còn gửi cho phó giám đốc nào nữa?", "Phó Giám đốc Phạm Quốc Toản (để b/c).", ""),
        ("thứ trưởng nào được phân công chỉ đạo?", "Thứ trưởng phụ trách lĩnh vực ở Hà Nội.", "person"),
    ],
)
def test_an_answer_must_carry_the_value_asked(analyzer, question, answer, lacks):
    from assistant.compose import Draft, Part
    from assistant.kinds import missing_kind

    got = missing_kind(analyzer.analyze(question), Draft([Part(answer, ())]))
    assert got == lacks


def test_who_reports_to_whom():
    """An agency after 'về/cho/gửi' receives; one opening the clause acts."""
    from assistant.passages import agency_roles

    sct = "Sở Công Thương"
    assert agency_roles("các sở phải gửi báo cáo cho Sở Công Thương trước ngày nào?", (sct,)) == {
        "so cong thuong": "to"
    }
    assert agency_roles("Sở Công Thương tổng hợp báo cáo UBND tỉnh trước ngày 18", (sct,)) == {"so cong thuong": "by"}
    assert agency_roles("báo cáo kết quả về Sở Công Thương", (sct,)) == {"so cong thuong": "to"}
    assert agency_roles("Kế hoạch giao nhiều việc, trong đó Sở Công Thương", (sct,)) == {}


def test_how_often_is_a_time_answered_by_a_recurrence(analyzer):
    from assistant.asks import recurrence_satisfied

    q = analyzer.analyze("ke hoach tuyen truyen phan loai rac trong kh 64 ca mau thuc hien bao lau mot lan?")
    assert q.intent == "time"
    assert not recurrence_satisfied(q.folded, "Thời gian thực hiện: 2025 - 2030")
    assert recurrence_satisfied(q.folded, "Thời gian thực hiện: Hàng năm")
    assert recurrence_satisfied(q.folded, "báo cáo định kỳ hằng quý về Sở Tài chính")


def test_informal_may_before_a_noun_is_a_plural_when_something_else_is_asked(analyzer):
    # 'mấy công trình … nguồn nào': those works, which source; not how many works
    q = analyzer.analyze("Mấy công trình cấp nước sạch xây mới thì chỉ thị muốn ưu tiên lấy nước từ nguồn nào?")
    assert not q.asks.counted and not q.asks.unit
    # a count is still a count: nothing else asked, or a unit beside 'mấy'
    assert analyzer.analyze("Kế hoạch có mấy nhiệm vụ?").asks.counted
    assert analyzer.analyze("bao cao may lan mot nam, gui ve dau?").intent != "general"


@pytest.mark.parametrize(
    "question, grain",
    [
        ("chương trình phòng chống ma túy ở cần thơ thực hiện từ năm nào tới năm nào?", "period"),
        ("quan trac nuoc cap nuoi tom lam tu thang may toi thang may?", "period"),
        ("báo cáo trước ngày nào?", "day"),
        ("sơ kết vào tháng nào?", "month"),
    ],
)
def test_a_period_is_asked_from_one_time_to_another(analyzer, question, grain):
    asks = analyzer.analyze(question).asks
    assert asks.time_grain == grain and not asks.counted, asks


def test_time_satisfies_a_period_only_with_both_ends():
    from assistant.asks import time_satisfies

    assert time_satisfies("period", "thời gian quan trắc từ tháng 3 đến tháng 10 năm 2026;")
    assert time_satisfies("period", "Chương trình: Từ năm 2025 đến hết năm 2030.")
    assert time_satisfies("period", "3. Thời gian thực hiện: Từ năm 2026 - 2030.")
    assert not time_satisfies("period", "hoàn thành trong năm 2026")


def test_what_the_question_sets_aside_is_not_its_topic(analyzer):
    q = analyzer.analyze(
        "ngoài việc phối hợp chia sẻ dữ liệu đất đai, Sở Nông nghiệp và Môi trường còn được giao nhiệm vụ gì "
        "đối với dữ liệu không gian?"
    )
    topic = {t.folded for t in q.terms}
    words = {w for t in topic for w in t.split()}
    assert {"dat", "dai", "ngoai"}.isdisjoint(words) and {"du", "lieu", "gian"} <= words, topic
    assert {"chia", "se", "dat", "dai", "phoi", "hop"}.isdisjoint(words), topic  # the clause set aside, whole
    outdoors = {w for t in analyzer.analyze("hạn chế hoạt động ngoài trời khi nào?").terms for w in t.folded.split()}
    assert {"ngoai", "troi"} <= outdoors, outdoors  # 'ngoài trời' is outdoors: nothing set aside


@pytest.mark.parametrize(
    "question, fact",
    [
        # 'dựa vào/dựa trên' asks what a document rests on, as 'căn cứ' does, with words between kind and 'nào'
        ("KH quan trắc thủy sản 2026 của Thanh Hóa dựa vào kế hoạch giai đoạn 2026-2030 nào của tỉnh?", "reference"),
        ("kế hoạch 64 cà mau dựa trên quyết định nào của thủ tướng", "reference"),
        ("cong van cua Kon Tum duoc ra dua tren de nghi cua So KHDT o van ban so may?", "basis"),
        # a cited document's date is asked, not which document: the words between say 'ban hành ngày'
        ("chi thi 06 quang tri can cu phuong an so 728/PA-UBND, phuong an do ban hanh ngay nao?", "date"),
    ],
)
def test_document_fact_kinds(analyzer, question, fact):
    assert analyzer.analyze(question).asks.fact == fact


def test_a_shared_agency_head_needs_the_words_that_follow(analyzer):
    # 'bql khu cnc' names no Ban Quản lý Khu kinh tế: 'ban quản lý khu' is shared by several boards
    q = analyzer.analyze("bql khu cnc phoi hop voi so nao?")
    assert not any("Kinh tế" in a or "kinh tế" in a for a in q.agencies), q.agencies


@pytest.mark.parametrize(
    "question, named",
    [
        ("xã phường ở cần thơ phải thống kê giếng khoan trước ngày nào?", True),
        ("Theo chỉ thị, cấp xã phải làm gì với rừng bị lấn chiếm?", True),
        ("có bao nhiêu xã, phường ở Cần Thơ?", False),  # the communes as a place, not the body acting
        ("tổ chức ở các xã nào?", False),
    ],
)
def test_the_commune_level_as_the_subject(analyzer, question, named):
    from assistant.analysis import COMMUNE_LEVEL

    assert (COMMUNE_LEVEL in analyzer.analyze(question).agencies) == named


@pytest.mark.parametrize(
    "question, intent",
    [
        # a 'quy chế phối hợp' whose deadline is asked is a document; who takes part in it is a coordinate question
        ("quy chế phối hợp chia sẻ dữ liệu quy hoạch phải ban hành chậm nhất khi nào?", "time"),
        ("quy chế phối hợp liên ngành kiểm tra trường mầm non gồm những ngành nào?", "coordinate"),
    ],
)
def test_a_coordination_regulation(analyzer, question, intent):
    assert analyzer.analyze(question).intent == intent


@pytest.mark.parametrize(
    "question, fact",
    [
        # a phone or hotline number names the document but asks no document number
        ("Số đường dây nóng để người dân Cần Thơ tố giác tội phạm ma túy theo kế hoạch 153 là số mấy?", ""),
        ("số điện thoại để hỏi về cv ô nhiễm không khí của sở gd hà nội là số mấy?", ""),
        ("kế hoạch này có số mấy?", "number"),
        # 'trên cơ sở <kind> nào' is a cited document; 'trên cơ sở (các) tờ trình' is not (the proposal sentence)
        ("Công văn 6225 được ban hành trên cơ sở Chỉ thị nào của Thủ tướng Chính phủ?", "reference"),
        ("Nghị quyết 380/NQ-CP được ban hành trên cơ sở các Tờ trình nào của Bộ Tài chính?", ""),
    ],
)
def test_fact_asked(analyzer, question, fact):
    assert analyzer.analyze(question).asks.fact == fact


def test_initialisms_are_spelled_out_from_the_plans():
    from conftest import ROOT

    from assistant.initialisms import Initialisms

    dev = ROOT.parent / "shared" / "corpus-dev"
    if not dev.is_dir():
        pytest.skip("shared/corpus-dev is not beside the checkout")
    texts = [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))]
    found = Initialisms(texts)
    assert found.spell("bvdlcn") == "bảo vệ dữ liệu cá nhân"
    assert found.spell("pcmt") == "phòng chống ma túy"  # across the comma of 'phòng, chống'
    assert found.spell("NTTS") == ""  # the plans write 'NTTS' themselves: searched as it is
    assert found.spell("tnmt") == ""  # an agency's abbreviation: its table spells it out
    assert found.spell("xqzk") == ""
    assert found.expand("kh thi hành luật bvdlcn, số 2623/QĐ-TTg") == (
        "kh thi hành luật bảo vệ dữ liệu cá nhân, số 2623/QĐ-TTg"
    )


def test_a_line_ending_in_a_word_no_sentence_ends_with_runs_on():
    from assistant.compose import sentences

    text = "Thời gian thực hiện sau khi\nChiến lược tiêu chuẩn quốc gia được ban hành.\n- Cơ quan thực hiện: Sở Y tế."
    spans = [text[a:b] for a, b in sentences(text, 0, prose=True)]
    assert spans[0] == "Thời gian thực hiện sau khi\nChiến lược tiêu chuẩn quốc gia được ban hành.", spans
    # a short heading ending in a noun stays a line of its own
    heading = "Mục đích chung\nNâng cao nhận thức."
    assert [heading[a:b] for a, b in sentences(heading, 0, prose=True)][0] == "Mục đích chung"


def test_money_words_are_the_topic_of_a_who_question_only(analyzer):
    """'ai tham mưu phương án kinh phí': the funding is what the work is about; 'kinh phí bao nhiêu' asks its value."""
    who = analyzer.analyze("Cơ quan nào tham mưu phương án kinh phí thực hiện kế hoạch?")
    assert who.intent == "lead" and "kinh phí" in [t.text for t in who.terms]
    much = analyzer.analyze("Kinh phí nuôi sò huyết là bao nhiêu?")
    assert much.intent == "budget" and "kinh phí" not in [t.text for t in much.terms]


@pytest.mark.parametrize(
    "question, fact",
    [
        # the purpose said, a description between the kind and 'số mấy'
        ("KH quan trắc thủy sản của Thanh Hóa là để cụ thể hóa kế hoạch giai đoạn 2026-2030 số mấy?", "implements"),
        # the decision carried out, asked with its date: the date is that decision's
        ("ke hoach ktth ben tre de trien khai quyet dinh so may cua thu tuong, ky ngay nao?", "implements"),
        # a document's own number asked with its subject is not what it carries out
        ("cong van cua ubnd tinh kon tum ve trien khai de an kinh te tuan hoan so bao nhieu, ky ngay nao", "date"),
        # the laws it rests on
        ("Quyết định 2623/QĐ-TTg được ban hành trên cơ sở những đạo luật nào?", "basis"),
        # 'kế hoạch đó': the one the question named
        ("Công văn giao Sở X tiếp tục làm kế hoạch về rác thải; kế hoạch đó có số hiệu nào?", "reference"),
    ],
)
def test_document_facts_asked(analyzer, question, fact):
    assert analyzer.analyze(question).asks.fact == fact


def test_an_agency_set_aside_is_not_the_one_asked_about(analyzer):
    """'ngoài Sở X thì còn ai …': Sở X is known to the asker; 'ngoài khơi' (offshore) sets nothing aside."""
    q = analyzer.analyze("Ở Bến Tre ngoài Sở Tài chính thì đơn vị nào còn tham mưu bố trí kinh phí?")
    assert q.besides == ("Sở Tài chính",), q.besides
    offshore = analyzer.analyze("Dự án điện gió ngoài khơi ở Cà Mau thì bao giờ làm?")
    assert not offshore.besides and "ngoài khơi" in offshore.content, offshore.content


@pytest.mark.parametrize(
    "question, counted",
    [
        # the counted noun named before the question word
        ("Số lượng mô hình tôm sạch của kế hoạch là bao nhiêu?", True),
        # 'đối với' after 'bao nhiêu' is a preposition, not a unit
        ("Lãi suất giảm ở mức bao nhiêu đối với khách hàng vay vốn?", False),
    ],
)
def test_what_is_counted(analyzer, question, counted):
    assert analyzer.analyze(question).asks.counted is counted


def test_a_notice_named_by_its_kind():
    """'thông báo kết luận' names a document of the kind Thông báo, never the verb 'thông báo'."""
    from assistant.scope import _KIND_NAMES

    assert _KIND_NAMES["Thông báo"].search("theo thong bao ket luan cua ban chi dao thi ai chu tri")
    assert not _KIND_NAMES["Thông báo"].search("so nao thong bao ket qua quan trac cho nguoi nuoi")


def test_an_agency_whose_name_is_a_verb_is_named_with_its_level(restorer):
    """'cơ quan nào đi thanh tra …' asks who inspects; 'Thanh tra thành phố' (Cần Thơ CT 09) names the agency."""
    from assistant.analysis import Analyzer
    from index.agencies import KNOWN_AGENCIES

    analyzer = Analyzer(restorer, [*KNOWN_AGENCIES, "Thanh tra thành phố"], ["Cần Thơ"], {})
    assert analyzer.analyze("cơ quan nào đi thanh tra việc khai thác nước dưới đất?").agencies == ()
    assert analyzer.analyze("Thanh tra thành phố Cần Thơ phải làm gì?").agencies == ("Thanh tra thành phố",)
    assert analyzer.analyze("thanh tra tp can tho kiem tra theo tan suat nao").agencies == ("Thanh tra thành phố",)


def test_an_inspection_held_periodically_or_unannounced_says_how_often():
    from assistant.asks import RECURRING

    assert RECURRING.search("giao thanh tra thanh pho to chuc thanh tra viec chap hanh theo dinh ky hoac dot xuat")
    assert not RECURRING.search("bao cao dinh ky, dot xuat viec thuc hien noi dung quy hoach")
