// Talks to Attache's native API with the token kept in session storage.
import { t } from "./i18n.js";

const TOKEN_KEY = "attache.token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An API error with the server's RFC 9457 problem, when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.problem = problem;
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** JSON request to the API; resolves to the parsed body (or null for 204). */
/** Where the native API is mounted (`/v1`, or `/prefix/v1` with --native-prefix), as the server says. */
export const apiBase = document.querySelector('meta[name="attache-api-base"]')?.content || "/v1";

/** Calls the native API; `path` is relative to its base, e.g. `/records`. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(apiBase + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/**
 * Uploads one file to a record with XMLHttpRequest, for upload progress events.
 * `onProgress(loaded, total)` is called as bytes leave; resolves to the attachment; aborting
 * `signal` cancels it (nothing is stored of a body cut short).
 */
export function upload(recordUuid, file, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    signal.addEventListener("abort", () => request.abort(), { once: true });
    request.addEventListener("abort", () => reject(signal.reason));
    request.open("POST", `${apiBase}/records/${encodeURIComponent(recordUuid)}/attachments`);
    request.setRequestHeader("Authorization", `Bearer ${token()}`);
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener("load", () => {
      if (request.status === 201) resolve(request.response);
      else reject(new ApiError(request.status, request.response));
    });
    request.addEventListener("error", () => reject(new ApiError(0, { detail: t("upload.connectionFailed") })));
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}
