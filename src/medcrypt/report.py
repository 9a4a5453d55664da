"""The HTML page of ``medcrypt evaluate``: one self-contained file, readable offline.

Everything is inline (CSS, figures as base64 PNG), so the report can be mailed to a
reviewer or attached to a submission and still open without a network.
"""

from __future__ import annotations

import base64
import html as _html

import pandas as pd

from . import formatting

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1d1d1f;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}
.cards{display:flex;flex-wrap:wrap;gap:.6em}
.card{border-radius:6px;padding:.6em .8em;width:15em;border:1px solid #ccc}
.card h3{font-size:.95em;margin:0 0 .3em}.card p{margin:.15em 0;font-size:.85em}
.pass{background:#e8f5e9;border-color:#7cb342}.fail{background:#fdecea;border-color:#e53935}.na{background:#f3f3f3;border-color:#9e9e9e}
.verdict{font-weight:bold}.note{color:#555;font-size:.9em}
img{max-width:100%}
"""


def _escape(value) -> str:
    return _html.escape(str(value))


def table(records: list[dict]) -> str:
    """An HTML table of ``records`` as the book shows tables: word headers (:func:`medcrypt.formatting.header`),
    values in the book's number styles (:func:`medcrypt.formatting.reading`), a dash where a value is missing,
    and no pandas index column."""
    if not records:
        return "<p class='note'>(empty)</p>"
    frame = pd.DataFrame(records).drop(columns=["index"], errors="ignore")
    shown = pd.DataFrame({formatting.header(str(key)): frame[key].map(lambda v, k=str(key): formatting.reading(v, k))
                          for key in frame.columns})
    return shown.to_html(index=False, border=0, escape=True)


def _state(verdict: dict) -> str:
    """pass, FAIL or n/a (no attack of that column applied: never a pass)."""
    return verdict.get("state") or ("n/a" if verdict["passed"] is None else "pass" if verdict["passed"] else "FAIL")


def cards(verdicts: dict[str, dict[str, dict]], candidate: str, reference: str) -> str:
    """One card per attack: the candidate's verdict, with the reference's beside it."""
    out = []
    for column, verdict in verdicts[candidate].items():
        state = _state(verdict)
        other = None if reference == candidate else verdicts.get(reference, {}).get(column)
        beside = "" if other is None else (f"<p class='note'>{_escape(reference)}: "
                                           f"{_state(other)} ({_escape(other['figure'])})</p>")
        css = {"pass": "pass", "FAIL": "fail"}.get(state, "na")
        out.append(f"<div class='card {css}'><h3>{_escape(column)}</h3><p class='verdict'>"
                   f"{state}</p><p>{_escape(verdict['figure'])}</p>{beside}</div>")
    return "<div class='cards'>" + "".join(out) + "</div>"


def image(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f"<figure><img alt='{_escape(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption class='note'>{_escape(caption)}</figcaption></figure>")


def html(payload: dict, figures: dict[str, bytes]) -> str:
    """The whole report page for ``payload`` (as :func:`medcrypt.evaluate.run` builds it)."""
    name, reference = payload["cipher"], payload["reference"]
    states = [_state(v) for v in payload["verdicts"][name].values()]
    if "FAIL" in states:
        overall = "fails at least one attack"
    elif "n/a" in states:
        overall = "was not broken by the attacks that applied, but some columns had no attack that applies (n/a)"
    else:
        overall = "was not broken: no attack in the suite won"
    sections = [
        f"<h1>medcrypt evaluate: {_escape(name)}</h1>",
        f"<p><b>{_escape(name)}</b> ({_escape(payload['class'])}) {overall}. Profile {_escape(payload['profile'])}, "
        f"{_escape(payload['n_images'])} test images of {_escape(payload['dataset'])} at {_escape(payload['size'])}"
        f"×{_escape(payload['size'])}, beside {_escape(reference)}; weights: {_escape(payload['weights'])}.</p>",
        "<p class='note'>A pass says what was shown: no attack in this suite broke the cipher (no adversary in "
        "the battery won). That is necessary for security, never a proof of it. An n/a cell means that no attack "
        "of that column applies, which is not a pass. A key audit sees only what its searches reach: a key space "
        "larger than the random-key search's bound, or a weakness that no audit here models, stays unseen. "
        "For patient data use a vetted, authenticated cipher such as AES-GCM.</p>",
        "<h2>Report card</h2>", cards(payload["verdicts"], name, reference),
        "<h2>Summary table</h2>", table(payload["tables"]["summary"]),
        "<h2>Conformance checks</h2>", table([{k: v for k, v in r.items() if k != "id"} for r in payload["contract"]]),
    ]
    labels = {"metrics": "Metric suite (chapter 1)", "throughput": "Throughput", "ind_cpa": "IND-CPA battery, per adversary",
              "algebraic": "Algebraic known-plaintext attack", "learned_kpa": "Learned known-plaintext attack",
              "chosen_plaintext": "Chosen-plaintext attacks", "integrity": "Chosen-ciphertext (bit-flip) test",
              "leakage": "Ciphertext-only diagnosis leak", "key_audit": "Key audits and key search", "sensitivity": "One-pixel and one-key-bit sensitivity"}
    for key, title in labels.items():
        records = payload["tables"][key]
        if key == "ind_cpa":
            records = [{k: v for k, v in r.items() if k != "p_values"} for r in records]
        sections += [f"<h2>{_escape(title)}</h2>", table(records)]
    sections.append("<h2>Figures</h2>")
    sections += [image(png, caption) for caption, png in figures.items()]
    versions = [{"package": k, "version": v} for k, v in payload["versions"].items()]
    timings = [{"step": formatting.header(k.removesuffix("_s")), "time": formatting.duration(v)}
               for k, v in payload["timings"].items()]
    sections += ["<h2>Run</h2>", f"<p>Device: {_escape(payload['device'])}</p>", table(timings), table(versions)]
    body = "\n".join(sections)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>medcrypt evaluate: {_escape(name)}"
            f"</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")
