import AttacheCore
import Crypto

/// The one stylesheet of the share pages (their policy allows no inline style).
enum ShareStylesheet {
    static let text = """
        :root { color-scheme: light dark; --accent: #2563eb; --line: #8884; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
        .label, .note, .empty { color: #6b7280; }
        .files { list-style: none; padding: 0; margin: 1.5rem 0; border-top: 1px solid var(--line); }
        .files li { display: flex; gap: .75rem; align-items: center; padding: .6rem 0; border-bottom: 1px solid var(--line); }
        .files .name { flex: 1; overflow-wrap: anywhere; }
        .files .size { color: #6b7280; white-space: nowrap; }
        .button, button { display: inline-block; padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: .4rem;
          color: var(--accent); background: transparent; text-decoration: none; font: inherit; cursor: pointer; }
        .primary { background: var(--accent); color: #fff; }
        form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1.5rem 0; }
        label { width: 100%; }
        input { flex: 1; min-width: 12rem; padding: .4rem .6rem; font: inherit; border: 1px solid var(--line); border-radius: .4rem; }
        .error { color: #dc2626; }
        .done { color: #16a34a; }
        form.drop { padding: 1.5rem; border: 2px dashed var(--line); border-radius: .6rem; }
        form.drop.over { border-color: var(--accent); }
        .files progress { width: 8rem; }
        .files .state { color: #6b7280; white-space: nowrap; }
        .files .sent .state { color: #16a34a; }

        """

    static let etag = "\"" + SHA256.hash(data: Array(text.utf8)).prefix(16).hexString + "\""
}
