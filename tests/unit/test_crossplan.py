"""Cross-plan questions: split at 'còn', one group of plans per province or plan number named, in order."""

from __future__ import annotations

from types import SimpleNamespace

from test_scope import PLANS

from assistant.crossplan import scope_groups, split_question
from index.search import Filters


def test_split_at_con_opening_a_new_clause():
    parts = split_question("Kon Tum giao sở nào chủ trì tuyên truyền, còn ở Cà Mau thì sở nào?")
    assert parts == ["Kon Tum giao sở nào chủ trì tuyên truyền", "còn ở Cà Mau thì sở nào?"]
    assert split_question("Sở nào còn phải báo cáo kết quả?") == ["Sở nào còn phải báo cáo kết quả?"]


def test_one_group_per_plan_or_province_named_in_order(analyzer):
    a = SimpleNamespace(plans=PLANS)
    q = analyzer.analyze("Ở Hưng Yên và Cà Mau (KH 64) ai chủ trì tập huấn?")
    assert scope_groups(a, q, Filters()) == [("camau-kh64",), ("hungyen-kh56",)]
    q = analyzer.analyze("Ở Hưng Yên và Kon Tum ai chủ trì tập huấn?")
    assert scope_groups(a, q, Filters()) == [("hungyen-kh56",), ("kontum-cv",)]


def test_groups_stay_inside_the_scope(analyzer):
    a = SimpleNamespace(plans=PLANS)
    q = analyzer.analyze("Ở Hưng Yên và Kon Tum ai chủ trì tập huấn?")
    assert scope_groups(a, q, Filters(docs=("kontum-cv",))) == [("kontum-cv",)]
