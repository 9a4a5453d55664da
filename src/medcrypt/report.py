"""The HTML page of ``medcrypt evaluate``: one self-contained file, readable offline.

Everything is inline (CSS, figures as base64 PNG), so the report can be mailed to a
reviewer or attached to a submission and still open without a network.
"""

from __future__ import annotations

import base64
import html as _html

import pandas as pd

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1d1d1f;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}
.cards{display:flex;flex-wrap:wrap;gap:.6em}
.card{border-radius:6px;padding:.6em .8em;width:15em;border:1px solid #ccc}
.card h3{font-size:.95em;margin:0 0 .3em}.card p{margin:.15em 0;font-size:.85em}
.pass{background:#e8f5e9;border-color:#7cb342}.fail{background:#fdecea;border-color:#e53935}
.verdict{font-weight:bold}.note{color:#555;font-size:.9em}
img{max-width:100%}
"""


def _escape(value) -> str:
    return _html.escape(str(value))


def table(records: list[dict]) -> str:
    """An HTML table of ``records`` (missing values shown as a dash)."""
    if not records:
        return "<p class='note'>(empty)</p>"
    frame = pd.DataFrame(records)
    return frame.to_html(index=False, na_rep="–", border=0, escape=True, float_format=lambda v: f"{v:.4g}")


def cards(verdicts: dict[str, dict[str, dict]], candidate: str, reference: str) -> str:
    """One card per attack: the candidate's verdict, with the reference's beside it."""
    out = []
    for column, verdict in verdicts[candidate].items():
        state = "pass" if verdict["passed"] else "fail"
        other = None if reference == candidate else verdicts.get(reference, {}).get(column)
        beside = "" if other is None else (f"<p class='note'>{_escape(reference)}: "
                                           f"{'pass' if other['passed'] else 'FAIL'} ({_escape(other['figure'])})</p>")
        out.append(f"<div class='card {state}'><h3>{_escape(column)}</h3><p class='verdict'>"
                   f"{'pass' if verdict['passed'] else 'FAIL'}</p><p>{_escape(verdict['figure'])}</p>{beside}</div>")
    return "<div class='cards'>" + "".join(out) + "</div>"


def image(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f"<figure><img alt='{_escape(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption class='note'>{_escape(caption)}</figcaption></figure>")


def html(payload: dict, figures: dict[str, bytes]) -> str:
    """The whole report page for ``payload`` (as :func:`medcrypt.evaluate.run` builds it)."""
    name, reference = payload["cipher"], payload["reference"]
    overall = "passes every attack in the suite" if payload["passed_all"][name] else "fails at least one attack"
    sections = [
        f"<h1>medcrypt evaluate: {_escape(name)}</h1>",
        f"<p><b>{_escape(name)}</b> ({_escape(payload['class'])}) {overall}. Profile {_escape(payload['profile'])}, "
        f"{_escape(payload['n_images'])} test images of {_escape(payload['dataset'])} at {_escape(payload['size'])}"
        f"×{_escape(payload['size'])}, beside {_escape(reference)}; weights: {_escape(payload['weights'])}.</p>",
        "<p class='note'>Passing means that no attack in this suite breaks the cipher: necessary for security, "
        "never sufficient. For patient data use a vetted, authenticated cipher such as AES-GCM.</p>",
        "<h2>Report card</h2>", cards(payload["verdicts"], name, reference),
        "<h2>Summary table</h2>", table(payload["tables"]["summary"]),
        "<h2>Contract checks</h2>", table(payload["contract"]),
    ]
    labels = {"metrics": "Metric suite (chapter 1)", "throughput": "Throughput", "ind_cpa": "IND-CPA",
              "algebraic": "Algebraic known-plaintext attack", "learned_kpa": "Learned known-plaintext attack",
              "chosen_plaintext": "Chosen-plaintext attack", "leakage": "Ciphertext-only diagnosis leak",
              "key_audit": "Key-space audit", "sensitivity": "One-pixel and one-key-bit sensitivity"}
    for key, title in labels.items():
        records = payload["tables"][key]
        if key == "ind_cpa":
            records = [{k: v for k, v in r.items() if k != "p_values"} for r in records]
        sections += [f"<h2>{_escape(title)}</h2>", table(records)]
    sections.append("<h2>Figures</h2>")
    sections += [image(png, caption) for caption, png in figures.items()]
    versions = [{"package": k, "version": v} for k, v in payload["versions"].items()]
    timings = [{"step": k, "seconds": round(v, 1)} for k, v in payload["timings"].items()]
    sections += ["<h2>Run</h2>", f"<p>Device: {_escape(payload['device'])}</p>", table(timings), table(versions)]
    body = "\n".join(sections)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>medcrypt evaluate: {_escape(name)}"
            f"</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")
