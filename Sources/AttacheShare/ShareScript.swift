import AttacheCore
import Crypto

/// The drop page's one script (`GET /s/drop.js`): files dropped on the form or chosen in it are sent
/// one request each — large ones in pieces through tus (`/s/{token}/uploads`), resuming after a dropped
/// connection — with a progress bar and the server's answer per file. Without it the form still posts
/// every file in one request.
enum ShareScript {
    static let text = """
        "use strict";
        (() => {
          const form = document.querySelector("form.drop");
          if (!form) return;
          const input = form.querySelector("input[type=file]");
          const list = document.getElementById("progress");
          const limit = Number(form.dataset.maxFileSize);
          const formLimit = Number(form.dataset.maxFormFileSize);
          const resumableUrl = form.dataset.resumableUrl;
          // Files this large (or larger than a form takes) go in pieces (tus), and survive a dropped connection.
          const resumableFrom = 8 * 1024 * 1024;
          const chunkSize = 4 * 1024 * 1024;
          // The page's language (ShareText): English, or Dutch.
          const dutch = document.documentElement.lang === "nl";
          const words = dutch
            ? { received: "ontvangen", tooLarge: "te groot", failed: "de verbinding viel weg", retrying: "verbinding weg; opnieuw proberen",
                full: "de link neemt niets meer aan", gone: "de upload is verlopen",
                filesLeft: (n) => n === 1 ? "Er kan nog 1 bestand bij." : `Er kunnen nog ${n} bestanden bij.`,
                bytesLeft: (text) => `Er kan in totaal nog ${text} bij.` }
            : { received: "received", tooLarge: "too large", failed: "the connection failed", retrying: "connection lost; trying again",
                full: "the link takes no more files", gone: "the upload is gone",
                filesLeft: (n) => n === 1 ? "1 more file can be sent." : `${n} more files can be sent.`,
                bytesLeft: (text) => `${text} can be sent in all.` };
          const left = {
            files: form.dataset.filesLeft === undefined ? null : Number(form.dataset.filesLeft),
            bytes: form.dataset.bytesLeft === undefined ? null : Number(form.dataset.bytesLeft),
          };
          const row = (name) => {
            const item = document.createElement("li");
            const label = document.createElement("span");
            label.className = "name";
            label.textContent = name;
            const bar = document.createElement("progress");
            bar.max = 1;
            bar.value = 0;
            const state = document.createElement("span");
            state.className = "state";
            item.append(label, bar, state);
            list.append(item);
            return { item, bar, state };
          };
          const size = (value) => {
            const units = ["bytes", "kB", "MB", "GB", "TB"];
            let unit = 0;
            while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
            if (unit === 0) return value === 1 ? "1 byte" : `${value} bytes`;
            const number = value < 10 ? value.toFixed(1) : String(Math.round(value));
            return `${dutch ? number.replace(".", ",") : number} ${units[unit]}`;
          };
          const showLeft = () => {
            const files = document.getElementById("files-left");
            if (files && left.files !== null) {
              files.textContent = words.filesLeft(left.files);
            }
            const bytes = document.getElementById("bytes-left");
            if (bytes && left.bytes !== null) bytes.textContent = words.bytesLeft(size(left.bytes));
          };
          const detail = (request) => {
            try { return JSON.parse(request.responseText).detail || request.statusText; } catch (_) { return request.statusText || "failed"; }
          };
          const finish = (view, ok, message) => {
            view.bar.value = ok ? 1 : view.bar.value;
            view.state.textContent = message;
            view.item.classList.add(ok ? "sent" : "error");
            return ok;
          };
          // One request with every byte: the server's receipt says what the link still takes.
          const sendWhole = (file, view) => new Promise((resolve) => {
            const body = new FormData();
            body.append("files", file, file.name);
            const request = new XMLHttpRequest();
            request.open("POST", form.action);
            request.setRequestHeader("Accept", "application/json");
            request.upload.onprogress = (event) => { if (event.lengthComputable) view.bar.value = event.loaded / event.total; };
            request.onload = () => {
              if (request.status !== 201) return resolve(finish(view, false, detail(request)));
              try {
                const receipt = JSON.parse(request.responseText);
                left.files = receipt.filesLeft;
                left.bytes = receipt.bytesLeft;
              } catch (_) {}
              resolve(finish(view, true, words.received));
            };
            request.onerror = () => resolve(finish(view, false, words.failed));
            request.send(body);
          });
          // tus 1.0: one request makes the upload, then pieces follow; after a dropped connection the
          // server says how far it got, and the rest is sent from there.
          const tus = (extra) => Object.assign({ "Tus-Resumable": "1.0.0" }, extra);
          const base64 = (text) => btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(""));
          const failure = (message, retry) => Object.assign(new Error(message), { retry });
          const sendPiece = (url, file, offset, view) => new Promise((resolve, reject) => {
            const request = new XMLHttpRequest();
            request.open("PATCH", url);
            for (const [name, value] of Object.entries(tus({ "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }))) {
              request.setRequestHeader(name, value);
            }
            request.upload.onprogress = (event) => { view.bar.value = (offset + event.loaded) / file.size; };
            request.onload = () => {
              if (request.status === 204) return resolve(Number(request.getResponseHeader("Upload-Offset")));
              const again = request.status === 409 || request.status === 423 || request.status >= 500;
              reject(failure(detail(request), again));
            };
            request.onerror = () => reject(failure(words.failed, true));
            request.send(file.slice(offset, Math.min(offset + chunkSize, file.size)));
          });
          const sendResumable = async (file, view) => {
            const created = await fetch(resumableUrl, {
              method: "POST",
              headers: tus({ "Upload-Length": String(file.size), "Upload-Metadata": `filename ${base64(file.name)}` }),
            }).catch(() => null);
            if (!created) return finish(view, false, words.failed);
            if (created.status !== 201) {
              const problem = await created.json().catch(() => ({}));
              return finish(view, false, problem.detail || created.statusText);
            }
            const url = created.headers.get("Location");
            let offset = 0;
            let failures = 0;
            while (offset < file.size) {
              try {
                offset = await sendPiece(url, file, offset, view);
                failures = 0;
                view.state.textContent = "";
              } catch (error) {
                if (!error.retry || failures >= 20) return finish(view, false, error.message);
                failures += 1;
                view.state.textContent = words.retrying;
                await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** failures, 10000)));
                const head = await fetch(url, { method: "HEAD", headers: tus({}), cache: "no-store" }).catch(() => null);
                if (head && head.ok) offset = Number(head.headers.get("Upload-Offset"));
                else if (head) return finish(view, false, head.status === 410 ? words.full : words.gone);
              }
            }
            if (left.files !== null) left.files -= 1;
            if (left.bytes !== null) left.bytes -= file.size;
            return finish(view, true, words.received);
          };
          const send = async (file) => {
            const view = row(file.name);
            if (file.size > limit) return finish(view, false, words.tooLarge);
            const ok = file.size >= resumableFrom || file.size > formLimit ? await sendResumable(file, view) : await sendWhole(file, view);
            if (ok) showLeft();
            return ok;
          };
          const sendAll = async (files) => {
            for (const file of files) await send(file);
            input.value = "";
          };
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            sendAll(Array.from(input.files));
          });
          for (const name of ["dragenter", "dragover"]) {
            form.addEventListener(name, (event) => { event.preventDefault(); form.classList.add("over"); });
          }
          form.addEventListener("dragleave", () => form.classList.remove("over"));
          form.addEventListener("drop", (event) => {
            event.preventDefault();
            form.classList.remove("over");
            sendAll(Array.from(event.dataTransfer.files));
          });
        })();

        """

    static let etag = "\"" + SHA256.hash(data: Array(text.utf8)).prefix(16).hexString + "\""
}
