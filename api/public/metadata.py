"""A work's page head — Open Graph and Twitter cards for Facebook and LINE previews, Highwire
Press ``citation_*`` tags as Google Scholar's inclusion guidelines ask, schema.org JSON-LD — and
how to cite it. Every URL here is absolute, under ``LOHUB_PUBLIC_BASE_URL``."""

import json

from api.public.text import Words
from models.work import WorkFile, WorkFileKind, WorkKind
from services.cover_images import HEIGHT, WIDTH
from services.fiscal import BE_OFFSET
from services.public_works import PublicAuthor, PublicWork
from services.publishing import slug_of, work_link
from services.settings import get_settings

DESCRIPTION_MAX = 300
PDF = "application/pdf"


def page_url(view: PublicWork) -> str:
    """The canonical address, the one every post and feed item links to."""
    return work_link(view.work, get_settings())


def cover_url(view: PublicWork) -> str:
    return f"{page_url(view)}/cover"


def file_path(view: PublicWork, file: WorkFile) -> str:
    return f"/works/{slug_of(view.work)}/files/{file.kind.value.lower().replace('_', '-')}"


def file_url(view: PublicWork, file: WorkFile) -> str:
    base = get_settings().public_base_url.rstrip("/")
    return base + file_path(view, file)


def title(view: PublicWork, words: Words) -> str:
    work = view.work
    return (work.title_en or work.title_th) if words.language == "en" else work.title_th


def description(view: PublicWork, words: Words) -> str:
    work = view.work
    text = (work.abstract_en or work.abstract_th) if words.language == "en" else work.abstract_th
    text = " ".join(text.split()) or title(view, words)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"


def author_name(author: PublicAuthor, words: Words) -> str:
    return (author.name_en or author.name_th) if words.language == "en" else author.name_th


def open_graph(view: PublicWork, words: Words) -> list[tuple[str, str]]:
    """``<meta property=… content=…>`` pairs: Open Graph, then Twitter's card."""
    alt = words("cover_alt", title=title(view, words))
    locale, other = ("th_TH", "en_US") if words.language == "th" else ("en_US", "th_TH")
    cover_type = view.cover.content_type if view.cover else "image/png"
    tags = [
        ("og:type", "article"),
        ("og:site_name", words("site")),
        ("og:title", title(view, words)),
        ("og:description", description(view, words)),
        ("og:url", page_url(view)),
        ("og:locale", locale),
        ("og:locale:alternate", other),
        ("og:image", cover_url(view)),
        ("og:image:type", cover_type),
        ("og:image:alt", alt),
    ]
    if view.cover is None:  # the plain cover's size is known; an uploaded one's is not
        tags += [("og:image:width", str(WIDTH)), ("og:image:height", str(HEIGHT))]
    if view.work.published_at:
        tags.append(("article:published_time", view.work.published_at.isoformat()))
    tags += [("article:tag", keyword) for keyword in view.work.keywords]
    tags += [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", title(view, words)),
        ("twitter:description", description(view, words)),
        ("twitter:image", cover_url(view)),
        ("twitter:image:alt", alt),
    ]
    return tags


def highwire(view: PublicWork) -> list[tuple[str, str]]:
    """``<meta name=citation_… content=…>`` pairs. Google Scholar wants at least the title,
    each author in order (with the institution right after), the publication date
    (YYYY/MM/DD) and, where the full text is a PDF anyone may read, its URL; the registry is
    an institution's report series, so the technical-report tags name it and the number."""
    work = view.work
    tags = [("citation_title", work.title_th)]
    for author in view.authors:
        tags.append(("citation_author", author.name_th))
        if author.affiliation:
            tags.append(("citation_author_institution", author.affiliation))
    if work.published_at:
        tags.append(("citation_publication_date", work.published_at.strftime("%Y/%m/%d")))
        tags.append(("citation_online_date", work.published_at.strftime("%Y/%m/%d")))
    tags += [
        ("citation_publisher", view.department.name_th),
        ("citation_technical_report_institution", view.unit.name_th),
        ("citation_technical_report_number", view.number),
        ("citation_language", "th"),
        ("citation_abstract_html_url", page_url(view)),
    ]
    tags += [("citation_keywords", keyword) for keyword in work.keywords]
    full_text = view.file(WorkFileKind.FULL_TEXT)
    if full_text is not None and full_text.content_type == PDF:
        tags.append(("citation_pdf_url", file_url(view, full_text)))
    return tags


def json_ld(view: PublicWork) -> str:
    """schema.org JSON-LD, safe inside ``<script>`` (no ``<``, so no ``</script>``)."""
    work = view.work
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork" if work.kind == WorkKind.INNOVATION else "ScholarlyArticle",
        "@id": page_url(view),
        "url": page_url(view),
        "name": work.title_th,
        "headline": work.title_th[:110],
        "inLanguage": "th",
        "abstract": work.abstract_th,
        "keywords": list(work.keywords),
        "image": cover_url(view),
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "LO Hub registry number",
            "value": view.number,
        },
        "author": [
            {
                "@type": "Person",
                "name": author.name_th,
                **({"alternateName": author.name_en} if author.name_en else {}),
                **(
                    {"affiliation": {"@type": "Organization", "name": author.affiliation}}
                    if author.affiliation
                    else {}
                ),
            }
            for author in view.authors
        ],
        "publisher": {"@type": "Organization", "name": view.department.name_th},
        "sourceOrganization": {"@type": "Organization", "name": view.unit.name_th},
        "about": [{"@type": "Thing", "name": topic.title_th} for topic in view.topics],
        "encoding": [
            {
                "@type": "MediaObject",
                "contentUrl": file_url(view, file),
                "encodingFormat": file.content_type,
                "contentSize": str(file.size),
            }
            for file in view.files
        ],
    }
    if work.title_en:
        data["alternateName"] = work.title_en
    if work.published_at:
        data["datePublished"] = work.published_at.date().isoformat()
    if view.video_url:
        data["video"] = {"@type": "VideoObject", "name": work.title_th, "url": view.video_url}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def citation(view: PublicWork, words: Words) -> str:
    """The reference to copy: authors (year). Title [kind, number]. Unit, department. URL."""
    work = view.work
    year = work.published_at.year if work.published_at else work.fiscal_year - BE_OFFSET
    names = ", ".join(author_name(a, words) for a in view.authors)
    shown_year = year + BE_OFFSET if words.language == "th" else year
    return (
        f"{names} ({shown_year}). {title(view, words)} "
        f"[{words.kind(work.kind)}, {view.number}]. "
        f"{view.unit.name_th}, {view.department.name_th}. {page_url(view)}"
    )
