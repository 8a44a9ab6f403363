"""``bulletin-metrics inspect``: how a document was read, and why each figure came out."""

from __future__ import annotations

from pathlib import Path


def inspect_file(path: str | Path, region: str = "", rules_dir: str | None = None, show_text: bool = False) -> str:
    from pipeline.extraction.nlp import shared_nlp
    from pipeline.process import process_file

    nlp = shared_nlp(rules_dir)
    result = process_file(path, nlp, region)
    document, layout, doc = result.document, result.layout, result.doc
    out = [f"# {document.source_file}", f"format {document.format}, status {document.status}" + (f" ({document.error})" if document.error else "") + f", {document.pages} page(s), sha256 {document.sha256[:16]}"]
    if document.status != "ok" or layout is None or doc is None:
        return "\n".join(out)
    meta = layout.metadata
    out += ["", "## Metadata", f"issue {meta.issue_no or '-'} (total {meta.issue_no_total or '-'}), date {meta.issue_date or '-'}, series {meta.series or '-'}",
            f"issuer {meta.issuer or '-'}; region {_region(nlp, layout)}", f"title {meta.title or '-'}",
            f"body [{meta.body_start}, {meta.body_end})"]
    for key, names in meta.distribution.items():
        out.append(f"{key}: {'、'.join(names)}")
    out += ["", "## Blocks"]
    for index, block in enumerate(document.blocks):
        text = document.text[block.start : block.end]
        bold = ", ".join(f"«{document.text[s.start:s.end]}»" for s in block.bold)
        pages = f"p{block.page}" + "".join(f"→p{p}@{o}" for o, p in block.page_starts)
        joined = f" joined from {block.joined_from}" if block.joined_from > 1 else ""
        out.append(f"[{index}] {block.kind}{block.level or ''} {pages} [{block.start},{block.end}){joined}: {text[:60]}{'…' if len(text) > 60 else ''}" + (f"\n     bold: {bold}" if bold else ""))
    out += ["", "## Sections"]
    out += [f"{s.index}. [{s.start},{s.end}) level {s.level} «{s.label}» {s.title}" for s in layout.sections] or ["(none)"]
    out += ["", "## Places and actors"]
    out += [f"place [{p.start},{p.end}) {p.text} → {p.name} {p.code or '(ambiguous)'}" for p in doc._.places or []]
    out += [f"actor [{a.start},{a.end}) {a.name} ({a.kind})" for a in doc._.actors or []]
    out += ["", "## County scopes (passages and who leads them)"]
    attributor = nlp.get_pipe("bulletin_attribution").attributor
    leads = attributor.leads(document.text, layout, doc._.places or [], doc._.actors or [])
    default = attributor.region_place(layout.region)[0] or "(none)"
    out.append(f"default: {default}")
    for lead in leads:
        place = f"{lead.place.name} {lead.place.code}" if lead.place else ("list of places (paired by the list)" if lead.is_list else f"scope word ({lead.scope or 'same passage'})")
        who = " ".join(part for part in (place, lead.town, f"actor {lead.actor.name}" if lead.actor else "") if part)
        out.append(f"[{lead.start},{lead.scope_end}) {who}: «{document.text[lead.start:lead.end]}»")
    out += ["", "## Figures"]
    for figure in doc._.figures or []:
        q = figure.quantity
        extra = "".join([f" {q.qualifier}" if q.qualifier else "", f" to {q.value_max}" if q.value_max is not None else ""])
        out.append(f"[{q.start},{q.end}) «{q.value_text}» = {q.value.normalize():f} {q.unit}{extra} | {figure.county or '(no county)'} {figure.county_code} {figure.town} by {figure.county_basis or '-'} | actor {figure.actor or '-'} | measure «{figure.measure}» | section «{figure.section}» | page {document.page_at(q.number_start)}")
    out += ["", "## Set aside (not figures)"]
    out += [f"[{r.start},{r.end}) «{r.text}»: {r.reason}" for r in doc._.rejected or []] or ["(none)"]
    if show_text:
        out += ["", "## Text", document.text]
    return "\n".join(out)


def _region(nlp, layout) -> str:
    if not layout.region:
        return "(none: the document names no place of its own; figures without one get an empty county)"
    place = nlp.get_pipe("bulletin_places").gazetteer.places[layout.region]
    return f"{place.name} {place.code} (from the {layout.region_basis})"
