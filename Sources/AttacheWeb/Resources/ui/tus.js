// A small tus 1.0 client for large files: the upload survives dropped connections and reloads.
import { ApiError, apiBase, token } from "./api.js";
import { t } from "./i18n.js";

/** Files at least this large go through resumable uploads. */
export const RESUMABLE_THRESHOLD = 8 * 1024 * 1024;
const CHUNK_SIZE = 4 * 1024 * 1024;
const TUS = { "Tus-Resumable": "1.0.0" };
const RETRY_DELAYS = [1000, 2000, 4000, 8000, 10000];

function headers(extra) {
  return { Authorization: `Bearer ${token()}`, ...TUS, ...extra };
}

function base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Where a file's unfinished upload is remembered, so a reload resumes it. */
function storageKey(recordUuid, file) {
  return `attache.upload:${recordUuid}:${file.name}:${file.size}:${file.lastModified}`;
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Waits until the browser says it is online (or a moment has passed), or `signal` aborts. */
function online(milliseconds, signal) {
  if (navigator.onLine) return sleep(milliseconds);
  return new Promise((resolve) => {
    window.addEventListener("online", () => resolve(), { once: true });
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

async function create(recordUuid, file) {
  const response = await fetch(`${apiBase}/uploads`, {
    method: "POST",
    headers: headers({
      "Upload-Length": String(file.size),
      "Upload-Metadata": `filename ${base64(file.name)},record ${base64(recordUuid)}`,
    }),
  });
  if (response.status !== 201) throw new ApiError(response.status, await problemOf(response));
  return response.headers.get("Location");
}

/** The server's offset for `url`, or null when the upload is gone. */
async function offsetOf(url) {
  const response = await fetch(url, { method: "HEAD", headers: headers({}), cache: "no-store" });
  if (response.status === 404 || response.status === 410) return null;
  if (!response.ok) throw new ApiError(response.status, null);
  return Number(response.headers.get("Upload-Offset"));
}

/** Sends one chunk with XMLHttpRequest (for progress); resolves to the response's headers. */
function patch(url, file, offset, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const chunk = file.slice(offset, Math.min(offset + CHUNK_SIZE, file.size));
    const request = new XMLHttpRequest();
    signal.addEventListener("abort", () => request.abort(), { once: true });
    request.addEventListener("abort", () => reject(signal.reason));
    request.open("PATCH", url);
    for (const [name, value] of Object.entries(headers({ "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }))) {
      request.setRequestHeader(name, value);
    }
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => onProgress(offset + event.loaded));
    request.addEventListener("load", () => {
      if (request.status === 204) {
        resolve({ offset: Number(request.getResponseHeader("Upload-Offset")), attachment: request.getResponseHeader("Attache-Attachment") });
      } else {
        reject(new ApiError(request.status, request.response));
      }
    });
    request.addEventListener("error", () => reject(new ApiError(0, { detail: t("upload.dropped") })));
    request.addEventListener("timeout", () => reject(new ApiError(0, { detail: t("upload.stalled") })));
    request.send(chunk);
  });
}

/** Whether a failed request is worth trying again after asking the server where it stands. */
function retryable(error) {
  return error.status === 0 || error.status === 409 || error.status === 423 || error.status >= 500;
}

/**
 * Uploads `file` to the record in chunks with tus. `onProgress(sent, total)` follows the bytes;
 * `onStatus(text)` says when the connection dropped and when the upload resumes. Resolves to the
 * attachment. Aborting `signal` stops it and deletes what the server received (tus termination).
 */
export async function resumableUpload(recordUuid, file, onProgress, onStatus, signal) {
  const key = storageKey(recordUuid, file);
  let url = localStorage.getItem(key);
  let offset = url ? await offsetOf(url).catch(() => null) : null;
  if (offset === null) {
    url = await create(recordUuid, file);
    localStorage.setItem(key, url);
    offset = 0;
  } else {
    onStatus(t("upload.resumingAt", { percent: Math.round((offset / file.size) * 100) }));
  }
  const terminate = () => {
    localStorage.removeItem(key);
    fetch(url, { method: "DELETE", headers: headers({}) }).catch(() => {});
  };
  signal.addEventListener("abort", terminate, { once: true });
  let failures = 0;
  for (;;) {
    try {
      signal.throwIfAborted();
      const result = await patch(url, file, offset, (sent) => onProgress(sent, file.size), signal);
      offset = result.offset;
      if (failures > 0) onStatus(t("upload.resumedAt", { percent: Math.round((offset / file.size) * 100) }));
      failures = 0;
      if (result.attachment) {
        signal.removeEventListener("abort", terminate);
        localStorage.removeItem(key);
        const response = await fetch(result.attachment, { headers: { Authorization: `Bearer ${token()}` } });
        if (!response.ok) throw new ApiError(response.status, await problemOf(response));
        return response.json();
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof ApiError) || !retryable(error) || failures >= 50) {
        if (!(error instanceof ApiError) || !retryable(error)) localStorage.removeItem(key);
        throw error;
      }
      onStatus(navigator.onLine ? t("upload.retrying") : t("upload.offline"));
      await online(RETRY_DELAYS[Math.min(failures, RETRY_DELAYS.length - 1)], signal);
      signal.throwIfAborted();
      failures += 1;
      const known = await offsetOf(url).catch(() => undefined);
      if (known === null) {
        localStorage.removeItem(key);
        throw new ApiError(410, { detail: t("upload.expired") });
      }
      if (known !== undefined) offset = known;
    }
  }
}
