"""The facts a Vietnamese administrative document states about itself, read from its layout.

Header block (issuer lines, "Số: 2530/QĐ-TTg", "Hà Nội, ngày 01 tháng 12 năm 2025"), the kind line and title
(trích yếu), "Căn cứ …" bases, the document it implements or replaces, the signature block
(TM./KT./Q./TL. + title + name) and, when the header is lost, the appendix caption "(Kèm theo … số …)".
Anything the text does not state is left empty; nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .load import NormalizedDoc
from .provinces import CITIES, PROVINCES, canonical_province, provinces_in

KINDS = {
    "KẾ HOẠCH": "Kế hoạch",
    "QUYẾT ĐỊNH": "Quyết định",
    "NGHỊ QUYẾT": "Nghị quyết",
    "CHỈ THỊ": "Chỉ thị",
    "THÔNG BÁO": "Thông báo",
    "CÔNG VĂN": "Công văn",
    "CHƯƠNG TRÌNH": "Chương trình",
    "BÁO CÁO": "Báo cáo",
    "TỜ TRÌNH": "Tờ trình",
    "HƯỚNG DẪN": "Hướng dẫn",
    "ĐỀ ÁN": "Đề án",
}
# Type code of a document number -> kind ("56/KH-UBND", "2530/QĐ-TTg", "394/NQ-CP"); any other code is a Công văn.
CODE_KINDS = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
}
_NUM = r"\d{1,5}(?:/\d{4})?\s*/\s*[A-ZĐ][A-Za-zĐđ&]*(?:\s*-\s*[A-Za-zĐđ&]+)*"
NUMBER_LINE = re.compile(r"\bSố\s*:?\s*(" + _NUM + r")")
DATE = r"ngày\s+(\d{1,2})\s*(?:tháng\s*|/|-|\.)\s*(\d{1,2})\s*(?:năm\s*|/|-|\.)\s*(\d{4})"
PLACE_DATE = re.compile(r"([A-ZĐÀ-Ỹ][^\d,\n]{1,35}),\s*" + DATE)
ATTACHED = re.compile(
    r"\((?:[Kk]èm|[Bb]an hành kèm)\s+theo\s+(Kế hoạch|Công văn|Quyết định|Nghị quyết|Thông báo|"
    r"Chỉ thị|văn bản)\s+số\s*:?\s*(" + _NUM + r")(?:\s+" + DATE + r")?(?:\s+của\s+([^)]{3,90})\))?"
)
# the issuer after 'của', in either tone placement ('Ủy ban', the older 'Uỷ ban' of Đồng Tháp's plans)
REFERENCE = re.compile(
    r"(Quyết định|Nghị quyết|Kế hoạch|Chỉ thị|Thông báo|Công văn|Chương trình|Nghị định|Thông tư|"
    r"Kết luận|Luật)\s+số\s*:?\s*(\d{1,5}(?:/\d{4})?[/-][\w/Đđ&\-]*[\wĐđ])"
    r"(?:\s+" + DATE + r")?(?:\s+của\s+((?:Thủ tướng Chính phủ|Chính phủ|Bộ Chính trị|Ban Chấp hành"
    r" Trung ương|Quốc hội|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Bộ|Hội đồng nhân dân|HĐND|Ban Bí thư)"
    r"[^,;.()]{0,60}))?"
)
_MOTTO = re.compile(
    r"CỘNG\s*HÒA\s*XÃ\s*HỘI\s*CHỦ\s*NGHĨA\s*VIỆT\s*NAM|CỘNG\s*HOÀ\s*XÃ\s*HỘI\s*CHỦ\s*NGHĨA\s*VIỆT\s*NAM|"
    r"Độc\s*lập\s*-\s*Tự\s*do\s*-\s*Hạnh\s*phúc|-{3,}|_{3,}",
    re.IGNORECASE,
)
_SIGN_LEAD = re.compile(r"^(TM\.|KT\.|Q\.|TL\.|TUQ\.)\s*(.*)$")
_ROLE_LINE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|"
    r"PHÓ CHÁNH VĂN PHÒNG|CỤC TRƯỞNG|VỤ TRƯỞNG|TRƯỞNG BAN|BÍ THƯ|TỔNG CỤC TRƯỞNG|CHỦ NHIỆM)"
    r"(?:\s+THƯỜNG TRỰC)?$"
)
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
_HEAD_SCAN = 40


@dataclass(frozen=True)
class Header:
    kind: str = ""
    also: str = ""
    number: str = ""
    date: str = ""
    year: str = ""
    place: str = ""
    issuer: str = ""
    province: str = ""
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    implements: str = ""
    replaces: str = ""
    bases: tuple[str, ...] = ()


def _date(d: str, m: str, y: str) -> str:
    return f"{int(d)}/{int(m)}/{y}"


def _clean_number(n: str) -> str:
    return re.sub(r"\s+", "", n)


def sentence_case(caps: str) -> str:
    """'BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH' -> 'Bộ Văn hóa, Thể thao và Du lịch': a word after 'và' or a comma
    starts a name again; a province name keeps its capitals."""
    words = caps.lower().split()
    out = []
    for i, w in enumerate(words):
        starts = (
            i == 0
            or words[i - 1] in ("và",)
            or words[i - 1].endswith(",")
            or (i == 1 and words[0] in ("bộ", "sở", "cục", "ban", "vụ"))
        )
        out.append(w.capitalize() if starts and w != "và" else w)
    text = " ".join(out)
    for p in re.finditer(r"\b(tỉnh|thành phố|xã|phường|huyện|quận)\s+(.+)$", text):
        text = text[: p.start(2)] + p.group(2).title()
    return text


def issuer_of(lines: list[str]) -> tuple[str, str]:
    """(issuer, province) from the caps lines above the number: 'UBND tỉnh Đồng Tháp', 'Thủ tướng Chính phủ' …"""
    text = re.sub(r"\s+", " ", " ".join(lines)).strip()
    text = _MOTTO.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" -")
    if not text:
        return "", ""
    m = re.search(r"(?:ỦY|UỶ|Ủy|Uỷ)\s+BAN\s+NHÂN\s+DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND", text)
    if m:
        head = "UBND" if "BAN" in m.group(0) or m.group(0) == "UBND" else "HĐND"
        rest = text[m.end() :].strip()
        unit = re.match(
            r"(TỈNH|THÀNH PHỐ|TP\.?|XÃ|PHƯỜNG|HUYỆN|QUẬN|THỊ XÃ|ĐẶC KHU)\s+(.+?)(?=\s+(?:SỞ|BAN|PHÒNG|"
            r"VĂN PHÒNG|CHI CỤC|TRUNG TÂM)\b|$)",
            rest,
        )
        if not unit:
            return head, ""
        level = {"TP": "Thành phố", "TP.": "Thành phố", "THÀNH PHỐ": "Thành phố"}.get(
            unit.group(1), unit.group(1).lower()
        )
        place = unit.group(2).title()
        province = canonical_province(place) if level in ("tỉnh", "Thành phố") else ""
        issuer = f"{head} {level} {place}"
        child = rest[unit.end() :].strip()
        if child:
            return f"{sentence_case(child)} {place}", province or ""
        return issuer, province or ""
    if re.search(r"THỦ\s+TƯỚNG", text):
        return "Thủ tướng Chính phủ", ""
    if re.search(r"VĂN\s+PHÒNG\s+CHÍNH\s+PHỦ", text):
        return "Văn phòng Chính phủ", ""
    if re.fullmatch(r"CHÍNH\s+PHỦ", text):
        return "Chính phủ", ""
    parts = [
        p
        for p in re.split(r"\s+(?=(?:BỘ|SỞ|CỤC|TỔNG CỤC|VỤ|BAN|VIỆN)\s)", text)
        if re.match(r"(?:BỘ|SỞ|CỤC|TỔNG CỤC|BAN|VIỆN|ỦY BAN)\s", p) and p.isupper()
    ]
    return (sentence_case(parts[-1]), "") if parts else ("", "")


def _head_zone(texts: list[str]) -> tuple[list[str], int]:
    """The issuer lines (before the number, the place line or the motto) and where the number line is."""
    zone = []
    for i, t in enumerate(texts[:_HEAD_SCAN]):
        if (
            NUMBER_LINE.search(t)
            or PLACE_DATE.search(t)
            or t.startswith(("Kính gửi", "Căn cứ", "Số"))
            or any(t.strip().upper().startswith(k) and t.strip().isupper() for k in KINDS)
        ):
            return zone, i
        if (t.isupper() and not re.search(r"\d", t)) or _MOTTO.search(t) or re.fullmatch(r"[-_\s]+", t):
            zone.append(t)
    return zone, 0


def _kind_line(texts: list[str]) -> tuple[int, str] | None:
    for i, t in enumerate(texts[:_HEAD_SCAN]):
        for caps, kind in KINDS.items():
            if re.match(re.escape(caps) + r"(?:\s|$|:)", t) and t[: len(caps)].isupper():
                return i, kind
    return None


def _title(texts: list[str], at: int) -> str:
    """The kind line and the subject lines after it (until the issuer repeats, a basis or the body starts)."""
    parts = [texts[at]]
    for t in texts[at + 1 : at + 6]:
        if (
            t.startswith(("Căn cứ", "Kính gửi", "Thực hiện", "I.", "1.", "Điều 1", "Ngày "))
            or _SIGN_LEAD.match(t)
            or re.fullmatch(
                r"(?:THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|ỦY BAN NHÂN DÂN.*|BỘ TRƯỞNG.*|CHỦ TỊCH.*|"
                r"QUYẾT ĐỊNH:?|[-_\s]+)",
                t,
            )
            or len(" ".join(parts)) > 260
        ):
            break
        if not (
            t.isupper()
            or t[:1].islower()
            or t.startswith(("Về ", "V/v", "Phê duyệt", "Ban hành", "Triển khai", "Thực hiện"))
        ):
            break
        parts.append(t)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


_ROLE_WORDS = _ROLE_LINE.pattern[1:-1]
_ONE_LINE_SIGN = re.compile(
    r"(?:^|\s)((?:TM\.|KT\.|Q\.|TL\.|TUQ\.)\s*[^a-zđà-ỹ]*?\s)?(" + _ROLE_WORDS + r")\s+"
    r"((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)$"
)


def _signature(texts: list[str]) -> tuple[str, str, str]:
    """(name, title, 'TM. CHÍNH PHỦ'-style lead line) of the first signature block."""
    for t in texts:
        if len(t) < 200 and (m := _ONE_LINE_SIGN.search(t)):  # a Word signature cell: lead, title and name
            return m.group(3), _title_case_role(m.group(2)), (m.group(1) or "").strip()
    role_only: tuple[str, str, str] | None = None
    for i, t in enumerate(texts):
        lead = _SIGN_LEAD.match(t)
        if not (lead or _ROLE_LINE.match(t)):
            continue
        role, lead_line = "", t if lead else ""
        for nxt in [t] + texts[i + 1 : i + 5]:
            m = _SIGN_LEAD.match(nxt)
            body = (m.group(2) if m else nxt).strip()
            if _ROLE_LINE.match(body):
                role = body
            elif _NAME.match(nxt) and (role or lead):
                return nxt, _title_case_role(role or (lead.group(2) if lead else "")), lead_line
            elif not m:
                break
        if role:
            role_only = role_only or ("", _title_case_role(role), lead_line)  # a title but no signer's name
    return role_only or ("", "", "")


def _title_case_role(role: str) -> str:
    """'PHÓ CHỦ TỊCH THƯỜNG TRỰC' -> 'Phó Chủ tịch Thường trực'; 'PHÓ THỦ TƯỚNG' -> 'Phó Thủ tướng'."""
    text = role.strip().capitalize()
    for w in ("chủ tịch", "thủ tướng", "giám đốc", "chánh văn phòng", "thường trực", "chủ nhiệm"):
        text = re.sub(r"(?<=\s)" + w, w.capitalize(), text)
    return text


def _attached(doc: NormalizedDoc) -> re.Match[str] | None:
    joined = re.sub(r"\s+", " ", " ".join(b.text for b in doc.blocks))
    return ATTACHED.search(joined)


def _is_local(doc: NormalizedDoc, sign_lead: str) -> bool:
    """A provincial People's Committee document: signed for the UBND, or speaking of 'UBND tỉnh/Thành phố'."""
    return bool(
        re.search(r"ỦY BAN NHÂN DÂN|CHỦ TỊCH", sign_lead)
        or re.search(r"(?:Ủy ban nhân dân|UBND)\s+(?:tỉnh|Tỉnh|Thành phố)", doc.text)
    )


def _province_fallback(doc: NormalizedDoc, sign_lead: str) -> str:
    """Province of a local document whose header was lost: the one its text names most after 'tỉnh'/'Thành phố'."""
    if not _is_local(doc, sign_lead):
        return ""
    counts = Counter(p for _, p in provinces_in(doc.text))
    if counts and (top := counts.most_common(1)[0])[1] >= 2:
        return top[0]
    # no 'tỉnh/Thành phố X': a province named bare, often and far more than any other
    bare = Counter({p: len(re.findall(r"\b" + re.escape(p) + r"\b", doc.text)) for p in PROVINCES})
    ranked = bare.most_common(2) + [("", 0)]
    return ranked[0][0] if ranked[0][1] >= 3 and ranked[0][1] >= 2 * ranked[1][1] else ""


def read_header(doc: NormalizedDoc) -> Header:
    """Everything the document says about itself (see the module docstring)."""
    texts = [b.text for b in doc.blocks]
    zone, num_at = _head_zone(texts)
    issuer, province = issuer_of([t for t in zone if t.isupper()])
    head_text = "\n".join(texts[:_HEAD_SCAN])
    number = NUMBER_LINE.search(head_text)
    number_s = _clean_number(number.group(1)) if number else ""
    pd = PLACE_DATE.search(head_text)
    date = _date(*pd.group(2, 3, 4)) if pd else ""
    place = pd.group(1).strip() if pd else ""
    kline = _kind_line(texts)
    code = number_s.split("/")[-1].split("-")[0] if number_s else ""
    kind = CODE_KINDS.get(code, "") or (kline[1] if kline else "")
    if not kind and code:
        kind = "Công văn"  # a number whose code names no other kind ('1923/SKHĐT-TH')
    if not kind and any(t.startswith("Kính gửi") for t in texts[:_HEAD_SCAN]):
        kind = "Công văn"
    title = (
        _title(texts, kline[0])
        if kline
        else next((re.sub(r"\s+", " ", t) for t in texts[:_HEAD_SCAN] if t.startswith(("V/v", "Về việc"))), "")
    )
    name, role, sign_lead = _signature(texts)
    att = _attached(doc)
    if att and not number_s:
        number_s = _clean_number(att.group(2))
        kind = kind or {"văn bản": "Công văn"}.get(att.group(1), att.group(1))
        if att.group(3) and not date:
            date = _date(*att.group(3, 4, 5))
    if att and not issuer and att.group(6):
        issuer = re.sub(r"\s+", " ", att.group(6)).strip()
    if not issuer and sign_lead:
        issuer = _issuer_from_sign(sign_lead)
    bare = re.fullmatch(r"(?:Ủy ban nhân dân|UBND)\s*(tỉnh|Tỉnh|Thành phố|thành phố)?", issuer)
    if bare or (not issuer and _is_local(doc, sign_lead)):
        p = (canonical_province(place) if place else None) or _province_fallback(doc, sign_lead)
        if p:
            province, issuer = p, f"UBND {'Thành phố' if p in CITIES else 'tỉnh'} {p}"
    if not province and issuer.startswith(("UBND", "HĐND", "Sở")):
        province = _province_fallback(doc, sign_lead)
    also = (
        "Kế hoạch"
        if kind == "Quyết định"
        and re.search(
            r"BAN HÀNH KẾ HOẠCH|Ban hành kèm theo Quyết định này Kế hoạch|^KẾ HOẠCH\b",
            " ".join(texts[:_HEAD_SCAN]) + "\n" + "\n".join(t for t in texts if t.startswith("KẾ HOẠCH")),
            re.MULTILINE,
        )
        else ""
    )
    year = date.rsplit("/", 1)[-1] if date else ""
    return Header(
        kind=kind,
        also=also,
        number=number_s,
        date=date,
        year=year,
        place=place,
        issuer=issuer,
        province=province,
        title=title,
        signer=name,
        signer_title=role,
        implements=_implements(texts, title),
        replaces=_replaces(texts),
        bases=tuple(re.sub(r"\s+", " ", t).rstrip(";") for t in texts[:80] if t.startswith("Căn cứ"))[:12],
    )


def _issuer_from_sign(lead: str) -> str:
    m = _SIGN_LEAD.match(lead)
    body = m.group(2) if m else lead
    if re.match(r"ỦY BAN NHÂN DÂN|UBND", body):
        return ""  # the province comes from the text
    if body.startswith("CHÍNH PHỦ"):
        return "Chính phủ"
    if body.startswith("THỦ TƯỚNG"):
        return "Thủ tướng Chính phủ"
    return ""


def reference_text(m: re.Match[str]) -> str:
    """'Quyết định số 687/QĐ-TTg ngày 7/6/2022 của Thủ tướng Chính phủ' from a REFERENCE match."""
    out = f"{m.group(1)} số {m.group(2)}"
    if m.group(3):
        out += f" ngày {_date(*m.group(3, 4, 5))}"
    if m.group(6):  # who issued it, not its subject ('… của Chính phủ <ban hành Kế hoạch …>')
        out += " của " + re.split(r"\s(?:về|ban hành|phê duyệt|quy định)\s", m.group(6).strip())[0]
    return out


def _implements(texts: list[str], title: str) -> str:
    """The document this one carries out: named in its title, or in an opening 'Thực hiện/Triển khai …' line."""
    # a Chỉ thị's preamble says it as "Để (tiếp tục) thực hiện (nghiêm) Chỉ thị số …, UBND tỉnh yêu cầu:"
    # (a line cut short by the PDF's wrap, "Để tiếp tục thực hiện nghiêm", is read on into the next one)
    opening = [
        t if t.endswith((".", ";", ":")) or t.startswith("Căn cứ") or i + 1 >= len(texts) else f"{t} {texts[i + 1]}"
        for i, t in enumerate(texts[:60])
        if re.match(r"(?:Thực hiện|Triển khai|Căn cứ|Để|Nhằm)\b", t)
    ]
    named = _title_references(texts, title)
    if named:
        return named
    cands = [title] + opening[:6]
    for c in cands:
        if not c:
            continue
        m = REFERENCE.search(re.sub(r"\s+", " ", c))
        if m and (
            c is title
            or c.startswith(("Thực hiện", "Triển khai"))
            or re.search(r"(?:thực hiện|triển khai)(?:\s+\w+){0,2}?\s+" + re.escape(m.group(1)), c, re.IGNORECASE)
        ):
            if m.group(1) != "Luật":
                return reference_text(m)
    return ""


_REFERENCE_ANY_CASE = re.compile(REFERENCE.pattern, re.IGNORECASE)


def _title_references(texts: list[str], title: str) -> str:
    """The documents an upper-case title says this one carries out ('… KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG
    … VÀ QUYẾT ĐỊNH SỐ 3103/QĐ-BTC …'), each as the text writes it elsewhere when it does ('Quyết định số
    06/QĐ-TTg … của Thủ tướng Chính phủ'), joined by 'và'."""
    if title != title.upper() or not re.search(r"(?i)thực hiện|triển khai", title):
        return ""
    body = re.sub(r"\s+", " ", " ".join(texts))
    out = []
    for part in re.split(r"\s+VÀ\s+", re.sub(r"\s+", " ", title))[:3]:
        m = _REFERENCE_ANY_CASE.search(part)
        if not m or m.group(1).upper() == "LUẬT":
            continue
        same = [r for r in REFERENCE.finditer(body) if r.group(2).upper() == m.group(2).upper()]
        out.append(reference_text(same[0]) if same else f"{m.group(1).capitalize()} số {m.group(2)}")
    return " và ".join(out)


def _replaces(texts: list[str]) -> str:
    """The document this one replaces ('… thay thế Kế hoạch số 12/KH-UBND …')."""
    for i, t in enumerate(texts):
        at = re.search(r"thay thế", t, re.IGNORECASE)  # "… thay thế Kế hoạch …" or an article's "Thay thế …"
        if at:
            for more in texts[i + 1 : i + 5]:  # a list of them, one per line, each ending in ';'
                if not t.rstrip().endswith(";") or not REFERENCE.match(more):
                    break
                t = f"{t} {more}"
            # every document the sentence replaces ('Thay thế Quyết định số 3089 … và Quyết định số 1397 …')
            sentence = re.split(r"\.\s", t[at.start() :])[0]
            found = [reference_text(m) for m in REFERENCE.finditer(sentence)]
            if found:
                return " và ".join(dict.fromkeys(found))
    return ""
