// Human-readable renderings, in the conventions of the page's language.
import { language } from "./i18n.js";

const UNITS = ["B", "KB", "MB", "GB", "TB"];
const numbers = [0, 1].map((digits) => new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }));

/** 1536 → "1.5 KB" ("1,5 KB" in Dutch; powers of 1024). */
export function bytes(count) {
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${numbers[digits].format(value)} ${UNITS[unit]}`;
}

/** Bytes per second → "12.3 MB/s". */
export function speed(bytesPerSecond) {
  return `${bytes(bytesPerSecond)}/s`;
}

const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });

export function date(iso) {
  return dateFormat.format(new Date(iso));
}

const ICONS = {
  Image: '<path d="M4 5h16v14H4z" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="9" cy="10" r="2"/><path d="M4 18l5-5 4 4 3-3 4 4"/>',
  Video: '<path d="M3 6h13v12H3z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M16 10l5-3v10l-5-3z"/>',
  Audio: '<path d="M9 18V6l11-2v12" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="6" cy="18" r="3"/><circle cx="17" cy="16" r="3"/>',
  Document: '<path d="M6 2h9l5 5v15H6z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M14 2v6h6" fill="none" stroke="currentColor" stroke-width="2"/>',
};

/** An inline SVG icon for a file kind, labelled for assistive technology. */
export function kindIcon(kind) {
  const paths = ICONS[kind] || ICONS.Document;
  return `<svg class="icon" viewBox="0 0 24 24" role="img" aria-label="${kind}" fill="currentColor">${paths}</svg>`;
}

/** What the browser can preview inline. */
export function previewKind(mimeType) {
  if (mimeType === "image/svg+xml") return null;
  if (mimeType.startsWith("image/")) return "image";
  if (mimeType === "application/pdf") return "pdf";
  if (mimeType.startsWith("audio/")) return "audio";
  if (mimeType.startsWith("video/")) return "video";
  if (mimeType === "text/plain") return "text";
  return null;
}
