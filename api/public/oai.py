"""OAI-PMH 2.0 over HTTP: ``GET`` or ``POST`` (form-encoded) ``/oai``. The protocol's rules
are in services/oai_pmh.py; this module reads the arguments and writes the XML that the
official schemas (OAI-PMH.xsd, oai_dc.xsd) validate. Errors are answered with 200, as the
protocol says: they are part of the XML."""

from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request, Response

from services import oai_pmh
from services.oai_pmh import Answer, DublinCore, Header, ResumptionToken, datestamp
from services.tokens import utcnow

router = APIRouter()
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for prefix, uri in (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    ET.register_namespace(prefix, uri)


@router.api_route("/oai", methods=["GET", "POST"], include_in_schema=False)
async def oai(request: Request) -> Response:
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        form = await request.form()
        pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    answer = await oai_pmh.handle(pairs)
    body = ET.tostring(_document(answer), encoding="utf-8", xml_declaration=True)
    return Response(
        body, media_type="text/xml; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


def _q(name: str, namespace: str = OAI) -> str:
    return f"{{{namespace}}}{name}"


def _document(answer: Answer) -> ET.Element:
    root = ET.Element(_q("OAI-PMH"))
    root.set(_q("schemaLocation", XSI), f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    ET.SubElement(root, _q("responseDate")).text = datestamp(utcnow())
    request = ET.SubElement(root, _q("request"))
    request.text = oai_pmh.base_url()
    # Bad verbs and arguments are not echoed: the request element must stay valid.
    if answer.verb and not any(e.code in ("badVerb", "badArgument") for e in answer.errors):
        request.set("verb", answer.verb)
        for name, value in answer.arguments.items():
            request.set(name, value)
    if answer.errors:
        for error in answer.errors:
            ET.SubElement(root, _q("error"), code=error.code).text = error.message
        return root
    verb = ET.SubElement(root, _q(answer.verb or ""))
    if answer.identify:
        identify = answer.identify
        for name, text in (
            ("repositoryName", identify.name),
            ("baseURL", identify.base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", identify.admin_email),
            ("earliestDatestamp", datestamp(identify.earliest)),
            ("deletedRecord", "persistent"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            ET.SubElement(verb, _q(name)).text = text
    for metadata_format in answer.formats:
        element = ET.SubElement(verb, _q("metadataFormat"))
        ET.SubElement(element, _q("metadataPrefix")).text = metadata_format.prefix
        ET.SubElement(element, _q("schema")).text = metadata_format.schema
        ET.SubElement(element, _q("metadataNamespace")).text = metadata_format.namespace
    for oai_set in answer.sets:
        element = ET.SubElement(verb, _q("set"))
        ET.SubElement(element, _q("setSpec")).text = oai_set.spec
        ET.SubElement(element, _q("setName")).text = oai_set.name
    for header in answer.headers:
        _header(verb, header)
    for record in answer.records:
        element = ET.SubElement(verb, _q("record"))
        _header(element, record.header)
        if record.metadata is not None:
            _dublin_core(ET.SubElement(element, _q("metadata")), record.metadata)
    if answer.token is not None:
        _token(verb, answer.token)
    return root


def _header(parent: ET.Element, header: Header) -> None:
    element = ET.SubElement(parent, _q("header"))
    if header.deleted:
        element.set("status", "deleted")
    ET.SubElement(element, _q("identifier")).text = header.identifier
    ET.SubElement(element, _q("datestamp")).text = datestamp(header.datestamp)
    for spec in header.sets:
        ET.SubElement(element, _q("setSpec")).text = spec


def _dublin_core(parent: ET.Element, dc: DublinCore) -> None:
    element = ET.SubElement(parent, _q("dc", OAI_DC))
    element.set(
        _q("schemaLocation", XSI), f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )
    for name, text, lang in dc.elements:
        child = ET.SubElement(element, _q(name, DC))
        child.text = text
        if lang:
            child.set(XML_LANG, lang)


def _token(parent: ET.Element, token: ResumptionToken) -> None:
    element = ET.SubElement(parent, _q("resumptionToken"))
    element.text = token.value
    element.set("completeListSize", str(token.complete_list_size))
    element.set("cursor", str(token.cursor))
    if token.expires_at is not None:
        element.set("expirationDate", datestamp(token.expires_at))
