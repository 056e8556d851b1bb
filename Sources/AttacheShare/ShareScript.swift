import AttacheCore
import Crypto

/// The drop page's one script (`GET /s/drop.js`): files dropped on the form or chosen in it are sent
/// one request each, with a progress bar and the server's answer per file. Without it the form still
/// posts every file in one request.
enum ShareScript {
    static let text = """
        "use strict";
        (() => {
          const form = document.querySelector("form.drop");
          if (!form) return;
          const input = form.querySelector("input[type=file]");
          const list = document.getElementById("progress");
          const limit = Number(form.dataset.maxFileSize);
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
            return unit === 0 ? `${value} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
          };
          const showLeft = (text) => {
            let receipt;
            try { receipt = JSON.parse(text); } catch (_) { return; }
            const files = document.getElementById("files-left");
            if (files && receipt.filesLeft !== null) {
              files.textContent = receipt.filesLeft === 1 ? "1 more file can be sent." : `${receipt.filesLeft} more files can be sent.`;
            }
            const bytes = document.getElementById("bytes-left");
            if (bytes && receipt.bytesLeft !== null) bytes.textContent = `${size(receipt.bytesLeft)} can be sent in all.`;
          };
          const send = (file) => new Promise((resolve) => {
            const view = row(file.name);
            if (file.size > limit) {
              view.state.textContent = "too large";
              view.item.classList.add("error");
              return resolve(false);
            }
            const body = new FormData();
            body.append("files", file, file.name);
            const request = new XMLHttpRequest();
            request.open("POST", form.action);
            request.setRequestHeader("Accept", "application/json");
            request.upload.onprogress = (event) => { if (event.lengthComputable) view.bar.value = event.loaded / event.total; };
            request.onload = () => {
              const ok = request.status === 201;
              let message = "received";
              if (ok) showLeft(request.responseText);
              if (!ok) {
                try { message = JSON.parse(request.responseText).detail || request.statusText; } catch (_) { message = request.statusText || "failed"; }
              }
              view.bar.value = ok ? 1 : view.bar.value;
              view.state.textContent = message;
              view.item.classList.add(ok ? "sent" : "error");
              resolve(ok);
            };
            request.onerror = () => { view.state.textContent = "the connection failed"; view.item.classList.add("error"); resolve(false); };
            request.send(body);
          });
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
