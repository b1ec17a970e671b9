"""Topic terms: question and role words dropped, accent-aware matching, synonyms, IDF weighting."""

from __future__ import annotations

from assistant.terms import (
    Vocabulary,
    extract_terms,
    joined_pairs,
    overlap,
    synonym_expansion,
    term_matches,
    text_keys,
)


def _terms(text: str, restored: str | None = None, accented: bool | None = None):
    return extract_terms(text, restored or text, accented)


def test_role_and_question_words_are_not_topic():
    assert [t.text for t in _terms("Ai chủ trì nhiệm vụ phát triển hầm biogas?")] == ["phát", "triển", "hầm", "biogas"]
    assert [t.text for t in _terms("Khi nào hoàn thành việc xây dựng nền tảng?")] == ["xây dựng", "nền tảng"]
    # 'khi' (when) opens a clause: 'khi tham mưu bố trí kinh phí, sở phối hợp với ai'
    assert "khi" not in {t.folded for t in _terms("khi tham mưu bố trí kinh phí thì sở phối hợp với ai?")}


def test_a_numbered_document_of_any_kind_is_scope_not_topic():
    for q in ("thời gian hỗ trợ theo NQ 380 đến khi nào", "thời gian hỗ trợ theo nghị quyết số 380/NQ-CP đến khi nào"):
        words = {t.folded for t in _terms(q)}
        assert {"ho", "tro"} <= words and not words & {"nq", "nghi", "quyet", "380"}, words
    assert "ct" not in {t.folded for t in _terms("chỉ thị 09 giao sở nào kiểm tra nước ngầm")}
    # and its date, when it was issued ('… số 211/KH-UBND ngày 02/10/2024 … tổng kinh phí bao nhiêu')
    for q in (
        "Kế hoạch số 211/KH-UBND ngày 02/10/2024 giao ai trồng rừng",
        "kh 211 ngay 2 thang 10 nam 2024 giao ai trong rung",
    ):
        assert {t.folded for t in _terms(q)} == {"trong", "rung"}, q
    # the Prime Minister's code is written mixed-case
    for q in ("Theo Quyết định số 2629/QĐ-TTg, ai lập kế hoạch hành động?", "theo qd 2629/qd-ttg ai lap ke hoach"):
        assert "ttg" not in {t.folded for t in _terms(q)}, q


def test_typed_accents_match_only_themselves():
    (dau,) = _terms("dầu", accented=True)
    assert term_matches(dau, text_keys("thu gom dầu ăn thải"))
    assert not term_matches(dau, text_keys("đầu tư hạ tầng"))


def test_unaccented_words_match_any_accented_form():
    (dau,) = _terms("dau", accented=False)
    assert term_matches(dau, text_keys("thu gom dầu ăn thải")) and term_matches(dau, text_keys("đầu tư"))


def test_everyday_words_match_the_plans_wording():
    (rac,) = _terms("rác", accented=True)
    assert term_matches(rac, text_keys("phân loại chất thải rắn sinh hoạt"))
    assert "chat thai" in synonym_expansion((rac,))
    (keu_goi,) = _terms("kêu gọi", accented=True)
    assert term_matches(keu_goi, text_keys("thu hút đầu tư vào khu xử lý"))


def test_overlap_is_idf_weighted():
    vocab = Vocabulary(["hầm biogas tại xã", "tại xã", "tại huyện", "tại tỉnh"])
    terms = _terms("hầm biogas tại xã", accented=True)
    assert overlap(terms, "xây hầm biogas", vocab) > overlap(terms, "tại xã nọ", vocab)
    assert overlap(terms, "không liên quan", vocab) == 0.0
    assert overlap((), "bất kỳ", vocab) == 0.0


def test_a_place_is_named_with_its_accents_when_the_question_has_them():
    from assistant.terms import place_names, places_named

    places = place_names(["hỗ trợ tái định cư cho các hộ ở xã Đề Gi, tỉnh Gia Lai; nuôi cua ở huyện Ngọc Hiển."])
    assert places_named("Sở Công Thương tuyên truyền về vấn đề gì?", places) == ()  # 'đề gì' is not 'Đề Gi'
    assert places_named("hỗ trợ các hộ ở xã Đề Gi thế nào?", places) == ("de gi",)
    assert places_named("nuoi cua o huyen ngoc hien", places) == ("ngoc hien",)  # typed without accents: folded


def test_the_years_asked_are_not_a_cited_document_s():
    from assistant.asks import asked_years

    assert asked_years("ke hoach so 211 / kh - uy ban nhan dan ngay 02 / 10 / 2024 tong kinh phi bao nhieu") == set()
    assert asked_years("theo ke hoach 64/kh-ubnd nam 2025 trong bao nhieu ha") == {"2025"}


def test_two_syllable_words_held_whole():
    terms = _terms("các bộ phải ban hành Kế hoạch hành động trước thời hạn nào?")
    assert joined_pairs(terms, "Xây dựng, ban hành Kế hoạch hành động phát triển Chính phủ số") == 1
    assert joined_pairs(terms, "ban hành cơ chế để các bộ chủ động thực hiện") == 0
