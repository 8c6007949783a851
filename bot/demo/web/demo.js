// The demo page: the phones chosen (?phones=kim,anna,johan) side by side and the clock bar.
"use strict";

const CLOCK_MS = 1000;

async function main() {
  const { callJson, Phone } = window.VardagPhone;
  let setup;
  for (;;) {
    try {
      setup = await callJson("GET", "/demo/api/setup");
      break;
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const texts = setup.texts;
  document.documentElement.lang = setup.language;
  document.title = texts.title;
  document.getElementById("title").textContent = texts.title;
  document.getElementById("intro").textContent = texts.intro;
  document.getElementById("footer").textContent = texts.footer;
  document.getElementById("clock-caption").textContent = texts.clock;
  const labels = {
    "jump-next": texts.next,
    "jump-morning": texts["jump.morning"],
    "jump-reminder": texts["jump.reminder"],
    "jump-end_of_day": texts["jump.end_of_day"],
    "forward-15": texts["forward.15"],
    "forward-60": texts["forward.60"],
  };
  for (const [id, label] of Object.entries(labels)) document.getElementById(id).textContent = label;

  const wanted = (new URLSearchParams(window.location.search).get("phones") || "")
    .split(",").map((key) => key.trim().toLowerCase()).filter(Boolean);
  const keys = wanted.length ? wanted : setup.default_phones;
  const template = document.getElementById("phone-template");
  const holder = document.getElementById("phones");
  for (const key of keys) {
    const person = setup.phones.find((p) => p.key === key);
    if (!person) continue;
    const phone = new Phone(person, texts, template);
    holder.appendChild(phone.root);
    phone.start();
  }

  const clock = new ClockBar(texts);
  clock.start();
}

class ClockBar {
  constructor(texts) {
    this.texts = texts;
    this.label = document.getElementById("clock-label");
    this.next = document.getElementById("clock-next");
    this.buttons = [...document.querySelectorAll(".jumps button")];
    for (const button of this.buttons) button.addEventListener("click", () => this.move(button));
  }

  start() {
    this.refresh();
    setInterval(() => this.refresh(), CLOCK_MS);
  }

  async refresh() {
    try {
      this.show(await window.VardagPhone.callJson("GET", "/demo/api/clock"));
    } catch (error) {
      this.label.textContent = this.texts.starting;
    }
  }

  async move(button) {
    const body = button.dataset.minutes ? { minutes: Number(button.dataset.minutes) } : { to: button.dataset.jump };
    for (const each of this.buttons) each.disabled = true;
    try {
      this.show(await window.VardagPhone.callJson("POST", "/demo/api/clock", body));
    } catch (error) {
      this.next.textContent = window.VardagFormat.fill(this.texts.error, { reason: error.message });
    } finally {
      for (const each of this.buttons) each.disabled = false;
      this.enableJumps(this.lastEvents || []);
    }
  }

  show(clock) {
    this.label.textContent = clock.label;
    this.lastEvents = clock.events;
    this.next.textContent = clock.events.length ? `${this.texts.next.replace(/^\S+\s/, "")}: ${clock.events[0].label}` : this.texts.nothing_next;
    this.enableJumps(clock.events);
  }

  enableJumps(events) {
    for (const button of this.buttons) {
      const kind = button.dataset.jump;
      if (!kind || kind === "next") continue;
      const event = events.find((e) => e.kind === kind);
      button.disabled = !event;
      button.title = event ? event.label : this.texts.nothing_next;
    }
  }
}

document.addEventListener("DOMContentLoaded", main);
