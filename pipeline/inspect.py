"""``bulletin-metrics inspect``: how a document was read, and why each figure came out."""

from __future__ import annotations

from pathlib import Path


def inspect_file(path: str | Path, region: str = "", rules_dir: str | None = None, show_text: bool = False) -> str:
    from pipeline.extraction.nlp import shared_nlp
    from pipeline.process import process_file

    nlp = shared_nlp(rules_dir)
    result = process_file(path, nlp, region)
    document = result.document
    out = [f"# {document.source_file}", f"format {document.format}, status {document.status}" + (f" ({document.error})" if document.error else "") + f", {document.pages} page(s), sha256 {document.sha256[:16]}"]
    if document.status != "ok" or not result.parts:
        return "\n".join(out)
    if len(result.parts) > 1:
        out += ["", f"## Issues: {len(result.parts)} in this file (one document each; offsets below are the file's)"]
        out += [f"issue_part {part.number}: [{part.start},{part.start + len(part.document.text)}) issue {part.layout.metadata.issue_no or '-'}, "
                f"date {part.layout.metadata.issue_date or '-'}, {len(part.figures)} figures" for part in result.parts]
    several = len(result.parts) > 1
    if not several:
        out += _metadata_lines(nlp, result.parts[0], False)
    out += ["", "## Blocks"]
    for index, block in enumerate(document.blocks):
        text = document.text[block.start : block.end]
        bold = ", ".join(f"«{document.text[s.start:s.end]}»" for s in block.bold)
        pages = f"p{block.page}" + "".join(f"→p{p}@{o}" for o, p in block.page_starts)
        joined = f" joined from {block.joined_from}" if block.joined_from > 1 else ""
        out.append(f"[{index}] {block.kind}{block.level or ''} {pages} [{block.start},{block.end}){joined}: {text[:60]}{'…' if len(text) > 60 else ''}" + (f"\n     bold: {bold}" if bold else ""))
    for part in result.parts:
        out += (_metadata_lines(nlp, part, True) if several else []) + _part_lines(nlp, document, part, several)
    if show_text:
        out += ["", "## Text", document.text]
    return "\n".join(out)


def _metadata_lines(nlp, part, several: bool) -> list[str]:
    layout, base = part.layout, part.start
    meta = layout.metadata
    title = f" — issue_part {part.number}" if several else ""
    out = ["", f"## Metadata{title}", f"issue {meta.issue_no or '-'} (total {meta.issue_no_total or '-'}), date {meta.issue_date or '-'}, series {meta.series or '-'}",
           f"issuer {meta.issuer or '-'}; region {_region(nlp, layout)}", f"title {meta.title or '-'}",
           f"body [{meta.body_start + base}, {meta.body_end + base})"]
    for key, names in meta.distribution.items():
        out.append(f"{key}: {'、'.join(names)}")
    if len(part.pieces) > 1:
        out.append(f"read in {len(part.pieces)} pieces (a long text; home region, headings and tables decided for the whole): "
                   + ", ".join(f"[{a + base},{b + base})" for a, b in part.pieces[:20]) + (" …" if len(part.pieces) > 20 else ""))
    return out


def _part_lines(nlp, document, part, several: bool) -> list[str]:
    layout, base, text = part.layout, part.start, document.text
    title = f" — issue_part {part.number}" if several else ""
    out = ["", f"## Sections{title}"]
    out += [f"{s.index}. [{s.start + base},{s.end + base}) level {s.level} «{s.label}» {s.title}" for s in layout.sections] or ["(none)"]
    out += ["", f"## Places and actors{title}"]
    out += [f"place [{p.start + base},{p.end + base}) {p.text} → {p.name} {p.code or '(ambiguous)'}" for p in part.places]
    out += [f"actor [{a.start + base},{a.end + base}) {a.name} ({a.kind})" for a in part.actors]
    out += ["", f"## County scopes (passages and who leads them){title}"]
    attributor = nlp.get_pipe("bulletin_attribution").attributor
    default = attributor.region_place(layout.region)[0] or "(none)"
    out.append(f"default: {default}")
    for lead in part.leads:
        place = f"{lead.place.name} {lead.place.code}" if lead.place else ("list of places (paired by the list)" if lead.is_list else f"scope word ({lead.scope or 'same passage'})")
        who = " ".join(piece for piece in (place, lead.town, f"actor {lead.actor.name}" if lead.actor else "") if piece)
        out.append(f"[{lead.start + base},{lead.scope_end + base}) {who}: «{text[lead.start + base:lead.end + base]}»")
    out += ["", f"## Figures{title}"]
    page_at = document.page_at
    for figure in part.figures:
        q = figure.quantity
        extra = "".join([f" {q.qualifier}" if q.qualifier else "", f" to {q.value_max}" if q.value_max is not None else ""])
        out.append(f"[{q.start + base},{q.end + base}) «{q.value_text}» = {q.value.normalize():f} {q.unit}{extra} | {figure.county or '(no county)'} {figure.county_code} {figure.town} by {figure.county_basis or '-'} | actor {figure.actor or '-'} | measure «{figure.measure}» | section «{figure.section}» | page {page_at(q.number_start + base)}")
    out += ["", f"## Set aside (not figures){title}"]
    out += [f"[{r.start + base},{r.end + base}) «{r.text}»: {r.reason}" for r in part.rejected] or ["(none)"]
    return out


def _region(nlp, layout) -> str:
    if not layout.region:
        return "(none: the document names no place of its own; figures without one get an empty county)"
    place = nlp.get_pipe("bulletin_places").gazetteer.places[layout.region]
    return f"{place.name} {place.code} (from the {layout.region_basis})"
