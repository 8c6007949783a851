// One phone: a person's private chat with the bot, drawn from the sandbox's people routes.
// Everything a person does here goes through /sandbox/users/<id>/..., the same client side a
// test uses, so the bot cannot tell this page from Telegram.
"use strict";

const POLL_MS = 700;
const CAFE = { latitude: 59.33258, longitude: 18.0649 };

async function callJson(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

class Phone {
  constructor(person, texts, template) {
    this.person = person;
    this.texts = texts;
    this.replyTo = null;
    this.shown = new Map(); // message_id -> { element, signature }
    this.root = template.content.firstElementChild.cloneNode(true);
    this.root.dataset.person = person.key;
    this.root.querySelector(".name").textContent = person.name;
    this.root.querySelector(".role").textContent = person.role;
    this.root.querySelector(".avatar").textContent = person.name.slice(0, 1);
    this.chat = this.root.querySelector(".chat");
    // Follow new messages, unless the person scrolled up to read something older.
    this.stick = true;
    this.chat.addEventListener("scroll", () => {
      this.stick = this.chat.scrollHeight - this.chat.scrollTop - this.chat.clientHeight < 80;
    });
    this.toast = this.root.querySelector(".toast");
    this.input = this.root.querySelector(".text-input");
    this.input.placeholder = texts.placeholder;
    this.root.querySelector(".send").title = texts.send;
    this.root.querySelector(".photo-button").title = texts.photo;
    this.root.querySelector(".location-button").title = texts.location;
    this.root.querySelector(".cancel-reply").title = texts.cancel_reply;
    this.empty = document.createElement("p");
    this.empty.className = "empty";
    this.empty.textContent = texts.empty;
    this.chat.appendChild(this.empty);
    this.wire();
  }

  wire() {
    const root = this.root;
    root.querySelector(".composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value;
      if (!text.trim()) return;
      this.input.value = "";
      this.sendBody({ text });
    });
    const photoInput = root.querySelector(".photo-input");
    root.querySelector(".photo-button").addEventListener("click", () => photoInput.click());
    photoInput.addEventListener("change", () => this.sendPhoto(photoInput));
    root.querySelector(".location-button").addEventListener("click", () => this.sendBody({ location: CAFE }));
    root.querySelector(".cancel-reply").addEventListener("click", () => this.setReply(null));
    root.querySelector(".commands-toggle").addEventListener("click", () => this.toggleCommands());
  }

  async sendBody(body) {
    if (this.replyTo !== null) body.reply_to_message_id = this.replyTo;
    this.setReply(null);
    try {
      await callJson("POST", `/sandbox/users/${this.person.user_id}/messages`, body);
      await this.refresh();
    } catch (error) {
      this.say(VardagFormat.fill(this.texts.error, { reason: error.message }));
    }
  }

  sendPhoto(input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const data = String(reader.result).split(",", 2)[1] || "";
      const caption = this.input.value.trim();
      this.input.value = "";
      const photo = { data };
      if (caption) photo.caption = caption;
      this.sendBody({ photo });
    };
    reader.readAsDataURL(file);
  }

  async press(message, button) {
    try {
      const pressed = await callJson("POST", `/sandbox/users/${this.person.user_id}/press`, {
        message_id: message.message_id,
        data: button.callback_data,
      });
      this.showAnswer(pressed.callback_query_id);
      await this.refresh();
    } catch (error) {
      this.say(VardagFormat.fill(this.texts.error, { reason: error.message }));
    }
  }

  // The bot's answer to a press ("Redan klart", say) shows as Telegram's small toast.
  async showAnswer(queryId) {
    for (let tries = 0; tries < 20; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const answer = await callJson("GET", `/sandbox/callbacks/${encodeURIComponent(queryId)}`).catch(() => null);
      if (answer && answer.answered) {
        if (answer.text) this.say(answer.text);
        return;
      }
    }
  }

  say(text) {
    this.toast.textContent = text;
    this.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toast.hidden = true; }, 3500);
  }

  setReply(message) {
    this.replyTo = message ? message.message_id : null;
    const bar = this.root.querySelector(".replying");
    bar.hidden = message === null;
    if (message) {
      bar.querySelector(".replying-text").textContent = `${this.texts.replying} ${summary(message, this.texts)}`;
      this.input.focus();
    }
  }

  async toggleCommands() {
    const box = this.root.querySelector(".commands");
    if (!box.hidden) {
      box.hidden = true;
      return;
    }
    const scopes = await callJson("GET", "/sandbox/commands").catch(() => []);
    const mine = scopes.find((s) => s.scope.type === "chat" && s.scope.chat_id === this.person.user_id);
    const fallback = scopes.find((s) => s.scope.type === "default" && !s.language_code);
    const commands = (mine || fallback || { commands: [] }).commands;
    box.replaceChildren(...commands.map((command) => {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "command";
      item.innerHTML = "<strong></strong> <span></span>";
      item.querySelector("strong").textContent = `/${command.command}`;
      item.querySelector("span").textContent = command.description;
      item.addEventListener("click", () => {
        box.hidden = true;
        this.sendBody({ text: `/${command.command}` });
      });
      return item;
    }));
    box.hidden = commands.length === 0;
  }

  start() {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), POLL_MS);
  }

  async refresh() {
    if (this.busy) return;
    this.busy = true;
    try {
      const messages = await callJson("GET", `/sandbox/chats/${this.person.user_id}/messages`);
      this.render(messages);
    } catch (error) {
      // The demo may be restarting; the next poll tries again.
    } finally {
      this.busy = false;
    }
  }

  render(messages) {
    const byId = new Map(messages.map((m) => [m.message_id, m]));
    const live = messages.filter((m) => !m.deleted);
    const keep = new Set(live.map((m) => m.message_id));
    for (const [id, shown] of this.shown) {
      if (!keep.has(id)) {
        shown.element.remove();
        this.shown.delete(id);
      }
    }
    let previous = null;
    let added = false;
    for (const message of live) {
      const signature = JSON.stringify(message);
      const shown = this.shown.get(message.message_id);
      let element = shown && shown.element;
      if (!shown || shown.signature !== signature) {
        const fresh = this.drawMessage(message, byId);
        if (element) element.replaceWith(fresh);
        element = fresh;
        this.shown.set(message.message_id, { element, signature });
        added = added || !shown;
      }
      const expected = previous ? previous.nextSibling : this.chat.firstChild;
      if (expected !== element) this.chat.insertBefore(element, expected);
      previous = element;
    }
    this.empty.hidden = live.length > 0;
    if (this.empty.parentNode !== this.chat) this.chat.appendChild(this.empty);
    if (added) this.follow();
  }

  follow() {
    if (this.stick) this.chat.scrollTop = this.chat.scrollHeight;
  }

  drawMessage(message, byId) {
    const row = document.createElement("div");
    row.className = `message ${message.from_bot ? "from-bot" : "from-me"}`;
    row.dataset.messageId = message.message_id;
    const bubble = document.createElement("div");
    bubble.className = `bubble kind-${message.kind}`;
    const quoted = message.reply_to_message_id && byId.get(message.reply_to_message_id);
    if (quoted) {
      const quote = document.createElement("div");
      quote.className = "quote";
      quote.textContent = summary(quoted, this.texts);
      bubble.appendChild(quote);
    }
    const media = drawMedia(message, this.texts, () => this.follow());
    if (media) bubble.appendChild(media);
    const body = message.kind === "text" ? [message.text, message.entities] : [message.caption, message.caption_entities];
    if (body[0]) {
      const text = document.createElement("div");
      text.className = "text";
      text.appendChild(VardagFormat.formatText(body[0], body[1]));
      bubble.appendChild(text);
    }
    const meta = document.createElement("div");
    meta.className = "meta";
    if (message.edited) meta.textContent = this.texts.edited;
    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply-button";
    reply.textContent = "↩";
    reply.title = this.texts.reply;
    reply.setAttribute("aria-label", this.texts.reply);
    reply.addEventListener("click", () => this.setReply(message));
    meta.appendChild(reply);
    bubble.appendChild(meta);
    row.appendChild(bubble);
    if (message.reply_markup) row.appendChild(this.drawKeyboard(message));
    return row;
  }

  drawKeyboard(message) {
    const keyboard = document.createElement("div");
    keyboard.className = "keyboard";
    for (const buttons of message.reply_markup) {
      const line = document.createElement("div");
      line.className = "keyboard-row";
      for (const button of buttons) {
        let element;
        if (button.url) {
          element = document.createElement("a");
          const safe = VardagFormat.safeLink(button.url);
          if (safe) element.href = safe;
          element.target = "_blank";
          element.rel = "noopener noreferrer";
        } else {
          element = document.createElement("button");
          element.type = "button";
          element.addEventListener("click", () => this.press(message, button));
        }
        element.className = "inline-button";
        element.textContent = button.text;
        line.appendChild(element);
      }
      keyboard.appendChild(line);
    }
    return keyboard;
  }
}

function summary(message, texts) {
  const text = message.text || message.caption || "";
  if (text) return text.split("\n")[0].slice(0, 80);
  return { photo: "📷", location: texts.location_card, voice: "🎤", video: "🎬", sticker: "🙂" }[message.kind]
    || (message.document ? message.document.file_name : "…");
}

function drawMedia(message, texts, grown) {
  const kind = message.kind;
  if (kind === "photo" && message.photo) {
    const image = document.createElement("img");
    image.className = "photo";
    image.alt = "📷";
    image.addEventListener("load", grown);
    image.src = `/sandbox/files/${encodeURIComponent(message.photo)}`;
    return image;
  }
  if (kind === "location" && message.location) {
    const card = document.createElement("div");
    card.className = "map-card";
    const pin = document.createElement("span");
    pin.className = "pin";
    pin.textContent = "📍";
    const where = document.createElement("span");
    where.className = "coordinates";
    const { latitude, longitude } = message.location;
    where.textContent = `${texts.location_card}\n${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
    card.append(pin, where);
    return card;
  }
  if (kind === "document" && message.document) {
    const link = document.createElement("a");
    link.className = "document";
    link.href = `/sandbox/files/${encodeURIComponent(message.document.file_id)}`;
    link.target = "_blank";
    link.textContent = VardagFormat.fill(texts.document, { name: message.document.file_name || "" });
    return link;
  }
  if (kind === "voice" && message.voice) {
    return labelled("voice", VardagFormat.fill(texts.voice, { seconds: message.voice.duration || 0 }));
  }
  if (kind === "video" && message.video) {
    return labelled("video", VardagFormat.fill(texts.video, { seconds: message.video.duration || 0 }));
  }
  if (kind === "sticker" && message.sticker) {
    return labelled("sticker", message.sticker.emoji || "🙂");
  }
  return null;
}

function labelled(kind, text) {
  const item = document.createElement("div");
  item.className = `media-${kind}`;
  item.textContent = text;
  return item;
}

window.VardagPhone = { Phone, callJson };
