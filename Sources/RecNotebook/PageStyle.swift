/// The style sheet of a rendered notebook, inlined so that the page needs nothing else.
/// System fonts only; colours chosen to read in print and for colour-blind readers (warnings
/// amber with a label, errors red with a label: the words carry the meaning, not the colour).
enum PageStyle {
    static let css = """
    :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --code-bg: #f6f8fa; --accent: #0969da;
            --warn-bg: #fff8c5; --warn-line: #9a6700; --err-bg: #ffebe9; --err-line: #cf222e; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 64rem; padding: 1.5rem 1.25rem 4rem; color: var(--fg); background: #fff;
           font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; }
    pre, code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Noto Sans Mono", Menlo, monospace; font-size: 0.86rem; }
    a { color: var(--accent); }
    .page-header .file { margin: 0 0 1rem; color: var(--muted); font-size: 0.85rem; }
    .banner { padding: 0.6rem 0.9rem; border-radius: 6px; margin-bottom: 1rem; }
    .banner.error { background: var(--err-bg); border-left: 4px solid var(--err-line); }
    .toc { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 1rem; margin-bottom: 1.5rem; background: #fbfcfd; }
    .toc-title { margin: 0 0 0.3rem; font-weight: 600; }
    .toc ul { list-style: none; margin: 0; padding: 0; }
    .toc li { margin: 0.1rem 0; }
    .toc .toc-2 { padding-left: 1.2rem; } .toc .toc-3 { padding-left: 2.4rem; } .toc .toc-4, .toc .toc-5, .toc .toc-6 { padding-left: 3.6rem; }
    .cell { margin: 0 0 1.1rem; }
    .cell.markdown h1 { font-size: 1.9rem; margin: 1.2rem 0 0.6rem; }
    .cell.markdown h2 { font-size: 1.4rem; margin: 1.6rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--line); }
    .cell.markdown code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
    .cell.markdown pre code { padding: 0; }
    .cell.markdown pre { background: var(--code-bg); padding: 0.6rem 0.8rem; border-radius: 6px; overflow-x: auto; }
    .source { position: relative; border: 1px solid var(--line); border-radius: 6px; background: var(--code-bg); }
    .source pre { margin: 0; padding: 0.6rem 0.8rem; overflow-x: auto; }
    .source .count { position: absolute; right: 0.5rem; top: 0.3rem; color: var(--muted); font: 0.75rem ui-monospace, monospace; }
    .source .tag { position: absolute; right: 3rem; top: 0.3rem; font-size: 0.72rem; color: #fff; background: #6639ba; border-radius: 10px; padding: 0 0.5rem; }
    .cell.failed .source { border-color: var(--err-line); }
    .cell.not-run .source { opacity: 0.6; }
    .not-run-note { color: var(--muted); font-size: 0.85rem; margin: 0.3rem 0 0; }
    .k { color: #cf222e; } .s { color: #0a3069; } .n { color: #0550ae; } .c { color: #59636e; font-style: italic; }
    .outputs { padding: 0.4rem 0 0 0.8rem; border-left: 3px solid var(--line); margin-top: 0.3rem; }
    .outputs > * { margin: 0 0 0.5rem; }
    .stream { margin: 0 0 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
    .stream.stderr { color: var(--err-line); }
    .display pre, .result pre { margin: 0; white-space: pre-wrap; }
    .html { overflow-x: auto; }
    .svg svg { max-width: 100%; height: auto; }
    .warning { background: var(--warn-bg); border-left: 4px solid var(--warn-line); padding: 0.35rem 0.7rem; border-radius: 4px; font-size: 0.92rem; }
    .warning .label, .error-label { font-weight: 700; color: var(--warn-line); text-transform: uppercase; font-size: 0.75rem; letter-spacing: 0.04em; }
    .warning .where { font-family: ui-monospace, monospace; font-size: 0.8rem; color: var(--muted); }
    .error { background: var(--err-bg); border-left: 4px solid var(--err-line); border-radius: 4px; }
    .error pre { margin: 0; padding: 0.5rem 0.8rem; overflow-x: auto; color: #82071e; }
    .progress { display: flex; align-items: center; gap: 0.6rem; font: 0.85rem ui-monospace, monospace; color: var(--muted); }
    .progress .bar { display: inline-block; width: 12rem; height: 0.6rem; border: 1px solid var(--line); border-radius: 3px; background: #fff; overflow: hidden; }
    .progress .fill { display: block; height: 100%; background: #1a7f37; }
    .progress.stopped .fill { background: var(--warn-line); } .progress.failed .fill { background: var(--err-line); }
    .progress .state { font-weight: 700; }
    table.rec-table { border-collapse: collapse; font-size: 0.88rem; margin: 0.2rem 0; }
    table.rec-table caption { caption-side: top; text-align: left; white-space: nowrap; font-weight: 600; padding: 0 0 0.3rem; color: var(--muted); font-size: 0.85rem; }
    table.rec-table th, table.rec-table td { padding: 0.25rem 0.7rem; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
    table.rec-table th { border-bottom: 2px solid #afb8c1; background: #f6f8fa; }
    table.rec-table td { font-variant-numeric: tabular-nums; }
    table.rec-table tr.rec-group td { color: #3d444d; background: #fbfcfd; }
    table.rec-table tr.rec-group td:nth-child(2) { padding-left: 1.4rem; }
    table.rec-table tr.rec-disparity td { background: #fff8c5; font-style: italic; }
    table.rec-table tr.rec-disparity-first td { border-top: 2px solid var(--warn-line); }
    table.rec-table tr.rec-all td { font-weight: 600; border-top: 2px solid #afb8c1; }
    .rec-table-shape { color: var(--muted); font-size: 0.8rem; margin: 0.2rem 0 0; }
    """
}
