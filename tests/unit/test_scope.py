"""Which plans a question is about: filters, provinces named, plan numbers, a plan described by its title."""

from __future__ import annotations

import pytest

from assistant.compose import Draft
from assistant.scope import descriptor_words, resolve_scope, title_run_words
from index.errors import QuestionError
from index.metadata import PlanMeta
from index.store import PlanRecord


def _plan(doc: str, province: str, number: str, year: str, title: str) -> PlanRecord:
    meta = PlanMeta(
        doc, kind="Kế hoạch", number=number, year=year, province=province, title=title, issuer=f"UBND tỉnh {province}"
    )
    return PlanRecord(doc, f"{doc}.txt", meta, "", ())


PLANS = {
    p.doc_id: p
    for p in (
        _plan("camau-kh64", "Cà Mau", "64/KH-UBND", "2023", "Thực hiện Đề án phát triển kinh tế tuần hoàn"),
        _plan(
            "camau-kh211", "Cà Mau", "211/KH-UBND", "2024", "Chương trình quốc gia về sản xuất và tiêu dùng bền vững"
        ),
        _plan("hungyen-kh56", "Hưng Yên", "56/KH-UBND", "2025", "Phát triển kinh tế tuần hoàn"),
        _plan("kontum-cv", "Kon Tum", "unknown", "2022", "Triển khai kinh tế tuần hoàn"),
    )
}


def _scope(analyzer, question, plan=None, province=None):
    return resolve_scope(PLANS, analyzer.analyze(question), plan, province)


def test_a_province_named_keeps_its_plans(analyzer):
    filters, _ = _scope(analyzer, "ai lo vu ham biogas o ca mau")
    assert filters.docs == ("camau-kh211", "camau-kh64")


def test_a_plan_number_picks_that_plan(analyzer):
    filters, _ = _scope(analyzer, "Kế hoạch 56 do ai ký?")
    assert filters.docs == ("hungyen-kh56",)


def test_an_unknown_plan_number_abstains_naming_the_plans(analyzer):
    draft = _scope(analyzer, "Kế hoạch 999 do ai ký?")
    assert isinstance(draft, Draft) and draft.abstained and "số 999" in draft.parts[0].text


def test_a_province_outside_the_corpus_abstains(analyzer):
    draft = _scope(analyzer, "Đồng Tháp giao sở nào chủ trì kinh tế tuần hoàn?")
    assert isinstance(draft, Draft) and draft.abstained and "Đồng Tháp" in draft.parts[0].text


def test_the_plan_described_by_its_title(analyzer):
    filters, q = _scope(analyzer, "kế hoạch sản xuất và tiêu dùng bền vững ở Cà Mau, ai chủ trì tập huấn?")
    assert filters.docs == ("camau-kh211",)
    assert "bền" not in {t.folded for t in q.terms} and "tap huan" in {t.folded for t in q.terms}
    assert "san" in descriptor_words(analyzer.analyze("kế hoạch sản xuất và tiêu dùng bền vững, ai chủ trì?"))


def test_filters_from_the_caller(analyzer):
    filters, _ = _scope(analyzer, "ai chủ trì tập huấn?", province="Kon Tum")
    assert filters.docs == ("kontum-cv",)
    assert _scope(analyzer, "ai chủ trì tập huấn?", province="Long An").abstained
    with pytest.raises(QuestionError, match="không có văn bản"):
        _scope(analyzer, "ai chủ trì tập huấn?", plan="khong-co")


# Titles as the development documents give them (Đồng Tháp, Hà Nội, Văn phòng Chính phủ, Đắk Lắk, Thanh Hóa),
# with other plans enough that a word pair in three titles is still rare.
SUBJECTS = {
    "dongthap-kh597": "KẾ HOẠCH CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG XÂY DỰNG, QUẢN LÝ, KHAI THÁC KẾT CẤU HẠ TẦNG GIAO THÔNG",
    "dongthap-kh617": "KẾ HOẠCH CHUYỂN ĐỔI SỐ CHO CÁC DOANH NGHIỆP, NHẤT LÀ DOANH NGHIỆP NHỎ VÀ VỪA, HỢP TÁC XÃ",
    "tb624": "THÔNG BÁO KẾT LUẬN PHIÊN HỌP CỦA BAN CHỈ ĐẠO VỀ KHOA HỌC, CÔNG NGHỆ, CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06",
    "daklak-kh0134": "KẾ HOẠCH QUAN TRẮC, CẢNH BÁO MÔI TRƯỜNG TẠI MỘT SỐ VÙNG NUÔI TRỒNG THỦY SẢN",
    "thanhhoa-kh235": "KẾ HOẠCH QUAN TRẮC, CẢNH BÁO MÔI TRƯỜNG NUÔI TRỒNG THỦY SẢN NĂM 2026",
    "hanoi-cv": "unknown",
}
MANY = {
    **{d: _plan(d, "unknown", "unknown", "2025", t) for d, t in SUBJECTS.items()},
    **{f"other-{i}": _plan(f"other-{i}", "unknown", "unknown", "2025", f"Kế hoạch về chủ đề {i}") for i in range(12)},
}


def _docs(analyzer, question):
    filters, _ = resolve_scope(MANY, analyzer.analyze(question), None, None)
    return set(filters.docs)


def test_a_plan_named_by_its_subject_among_many(analyzer):
    # 'chuyển đổi số' is in three titles, 'doanh nghiệp' in one: the plan for businesses, not the untitled letter
    # (no province is asked, so nothing ties the letter to the question)
    assert _docs(analyzer, "UBND xã phải làm gì trong kế hoạch chuyển đổi số doanh nghiệp?") == {"dongthap-kh617"}
    # two plans on the same subject both stay
    assert _docs(analyzer, "so khcn lam gi trong ke hoach quan trac moi truong thuy san nay") == {
        "daklak-kh0134",
        "thanhhoa-kh235",
    }


def test_a_meetings_conclusions_named_by_the_meeting(analyzer):
    # 'theo kết luận phiên họp …' names the conclusion notice as 'thông báo kết luận' would; 'kết luận' alone does not
    question = "theo ket luan phien hop thu 5 ban chi dao chinh phu ve KHCN, CDS, ai chu tri xay dung ho so hoc tap"
    assert _docs(analyzer, question) == {"tb624"}
    assert "phien" in descriptor_words(analyzer.analyze(question))
    assert "phien" not in descriptor_words(analyzer.analyze("kết luận của phiên họp nào giao ai chủ trì?"))


def test_a_title_whose_first_word_folds_as_a_boundary_still_describes(analyzer):
    # 'Chương trình <giáo dục> mầm non': 'giáo' folds as 'giao' (giao việc), which would end the description, but the
    # title goes on with 'giáo dục' (Hà Tĩnh KH 624)
    from assistant.scope import descriptor_runs

    q = analyzer.analyze("UBND xã đánh giá tình hình thực hiện Chương trình giáo dục mầm non với tần suất nào?")
    assert descriptor_runs(q, continuing=frozenset({("giao", "duc"), ("mam", "non")}))[0][:3] == ["giao", "duc", "mam"]
    assert descriptor_runs(q)[0] == []


def test_plan_speak_and_a_plan_to_be_made_do_not_describe_a_plan(analyzer):
    assert len(_docs(analyzer, "Kế hoạch triển khai thực hiện đến năm 2030 giao ai chủ trì?")) == len(MANY)
    assert len(_docs(analyzer, "Ai xây dựng kế hoạch chuyển đổi số cho doanh nghiệp?")) == len(MANY)
    assert len(_docs(analyzer, "Kế hoạch chuyển đổi số giao ai chủ trì?")) == len(MANY)  # three plans, no rarer word


def test_a_document_called_by_its_kind(analyzer):
    plans = dict(MANY)
    plans["quangtri-ct06"] = PlanRecord(
        "quangtri-ct06",
        "quangtri-ct06.txt",
        PlanMeta("quangtri-ct06", kind="Chỉ thị", number="06/CT-UBND", year="2025", province="unknown", title="x"),
        "",
        (),
    )
    filters, _ = resolve_scope(plans, analyzer.analyze("chi thi nay giao so nao bao cao truoc ngay 25/12?"), None, None)
    assert filters.docs == ("quangtri-ct06",)
    # a plan also named keeps them all
    filters, _ = resolve_scope(plans, analyzer.analyze("kế hoạch và chỉ thị giao ai báo cáo?"), None, None)
    assert len(filters.docs) == len(plans)


def test_a_plan_named_by_its_title_leaves_the_task_asked(analyzer):
    """'Ai là đầu mối … Kế hoạch chuyển đổi số cho doanh nghiệp nhỏ và vừa, hợp tác xã …': the words that repeat
    the title after a plan word name the plan, not the task (a title word also asked elsewhere stays); a 'when'
    question keeps them, since the plan's own words may be what is asked about."""
    plan = _plan(
        "dongthap-kh617",
        "Đồng Tháp",
        "617/KH-UBND",
        "2025",
        "Chuyển đổi số cho các doanh nghiệp, nhất là doanh nghiệp nhỏ và vừa, hợp tác xã, hộ kinh doanh",
    )
    who = analyzer.analyze(
        "Cơ quan nào làm đầu mối giám sát kết quả Kế hoạch chuyển đổi số cho doanh nghiệp nhỏ và vừa, hợp tác xã, "
        "hộ kinh doanh ở Đồng Tháp?"
    )
    dropped = title_run_words(plan, who)
    assert {"doanh", "nghiep", "nho", "vua", "hop", "tac"} <= dropped and not {"giam", "sat", "ket"} & dropped
    when = analyzer.analyze("Kế hoạch chuyển đổi số cho doanh nghiệp nhỏ và vừa, hợp tác xã thực hiện đến năm nào?")
    assert title_run_words(plan, when) == set()
    again = analyzer.analyze("Ai hỗ trợ doanh nghiệp nhỏ và vừa theo Kế hoạch cho doanh nghiệp nhỏ và vừa, hợp tác xã?")
    assert "doanh" not in title_run_words(plan, again)  # also asked outside the plan's name


def test_an_issuer_by_its_initials():
    from assistant.scope import _names_issuer

    issuer = "so giao duc va dao tao ha noi".split()
    assert _names_issuer("so gd", issuer) and _names_issuer("so giao", issuer)
    assert not _names_issuer("so tc", issuer) and not _names_issuer("bo gd", issuer)


def test_an_agency_opening_a_clause_is_the_one_acting():
    from assistant.passages import agency_roles

    roles = agency_roles("Theo chế độ báo cáo của Kế hoạch, Sở Công Thương phải gửi báo cáo", ("Sở Công Thương",))
    assert roles == {"so cong thuong": "by"}
    assert agency_roles("Các sở gửi Sở Công Thương tổng hợp", ("Sở Công Thương",)) == {"so cong thuong": "to"}


def test_the_issuer_named_in_full_frames_the_question(analyzer):
    """'… của Bộ Văn hóa, Thể thao và Du lịch': who issued the letter, not the task; a word also asked elsewhere
    stays ('cư xử có văn hóa'), and accents tell 'Thể thao' from 'soạn thảo'."""
    from assistant.scope import issuer_words

    plan = PlanRecord(
        "bvhttdl-cv6225",
        "bvhttdl-cv6225.txt",
        PlanMeta("bvhttdl-cv6225", kind="Công văn", number="6225/BVHTTDL-VP", issuer="Bộ Văn hóa, Thể thao và Du lịch"),
        "",
        (),
    )
    q = analyzer.analyze("Theo công văn của Bộ Văn hóa, Thể thao và Du lịch, ai soạn thảo quy tắc cư xử có văn hóa?")
    words = {f for f, _ in issuer_words(plan, q)}
    assert {"the", "thao", "du", "lich"} <= words and not {"van", "hoa", "soan"} & words
    assert issuer_words(plan, analyzer.analyze("Bộ nào soạn thảo quy tắc ứng xử?")) == set()


def test_a_cited_document_s_issuer_is_not_given_the_work():
    from assistant.passages import _issuer_only

    title = "TRIỂN KHAI QUYẾT ĐỊNH SỐ 3103/QĐ-BTC NGÀY 05 THÁNG 9 NĂM 2025 CỦA BỘ TÀI CHÍNH VỀ ĐỀ ÁN"
    assert _issuer_only("Bộ Tài chính", title)
    assert not _issuer_only("Bộ Tài chính", "Bộ Tài chính chủ trì rà soát Quyết định số 3103 của Bộ Tài chính")


def test_an_agency_given_the_work_is_the_one_acting():
    """'giao (cho) / yêu cầu / đề nghị Sở X …': X does the work; 'báo cáo về Sở X': X receives it."""
    from assistant.passages import agency_roles

    asked = "Chỉ thị giao Sở Nông nghiệp và Môi trường phải hoàn thành danh mục vùng cấm trước khi nào?"
    assert agency_roles(asked, ("Sở Nông nghiệp và Môi trường",)) == {"so nong nghiep moi truong": "by"}
    told = "UBND tỉnh giao cho Sở Tài chính tổng hợp dự toán"
    assert agency_roles(told, ("Sở Tài chính",)) == {"so tai chinh": "by"}
    sent = "Các xã hoàn thành trước ngày 31/12/2025 và báo cáo về Sở Nông nghiệp và Môi trường."
    assert agency_roles(sent, ("Sở Nông nghiệp và Môi trường",)) == {"so nong nghiep moi truong": "to"}


def test_a_prime_ministers_or_ministrys_document_called_by_its_head(analyzer):
    # 'kế hoạch … của thủ tướng' names the issuer 'Thủ tướng Chính phủ' by its head; an Ủy ban's head does not, since
    # 'của UBND các xã' names the communes' committees too
    from assistant.scope import issuer_words

    meta = PlanMeta("qd2623", kind="Quyết định", number="2623/QĐ-TTg", year="2025", issuer="Thủ tướng Chính phủ")
    plan = PlanRecord("qd2623", "qd2623.txt", meta, "", ())
    q = analyzer.analyze("nhiem vu trong nam 2025 theo ke hoach cua thu tuong thi lay kinh phi o dau?")
    assert {w for w, _ in issuer_words(plan, q)} == {"thu", "tuong"}
    ubnd = _plan("camau-kh64", "Cà Mau", "64/KH-UBND", "2023", "Kinh tế tuần hoàn")
    assert not issuer_words(ubnd, analyzer.analyze("báo cáo của UBND các xã gửi về đâu?"))
