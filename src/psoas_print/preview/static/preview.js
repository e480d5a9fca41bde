// The preview page: shows the state the server gives (/state.json), and asks again
// whenever the server's event stream (/events) says it changed. Pages are updated in
// place, so the reader keeps their place in the book.
"use strict";

const VIEWS = ["ebook", "cheatsheet", "handout", "figures"];
const main = document.getElementById("view");
const statusLine = document.getElementById("status");
const problemsBox = document.getElementById("problems");
const warningsBox = document.getElementById("warnings");

let state = null;
let shown = { view: null, version: null, pages: 0 };
const scrollOf = {}; // each view's scroll position, kept when switching views
let asking = null; // the request under way, and whether another is wanted after it
let askAgain = false;

function currentView() {
  const asked = location.hash.slice(1);
  return VIEWS.includes(asked) ? asked : "ebook";
}

async function refresh() {
  if (asking) {
    askAgain = true;
    return;
  }
  asking = fetch(`/state.json?view=${currentView()}`, { cache: "no-store" })
    .then((response) => response.json())
    .then((fresh) => {
      state = fresh;
      render();
    })
    .catch(() => {
      statusLine.textContent = "Not connected: is `psoas-print preview` still running?";
    });
  await asking;
  asking = null;
  if (askAgain) {
    askAgain = false;
    refresh();
  }
}

function render() {
  const view = currentView();
  for (const link of document.querySelectorAll("nav a")) {
    if (link.hash === `#${view}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  showStatus();
  showProblems();
  if (view === "figures") showFigures();
  else showPages(view);
}

function showStatus() {
  const building = state.building.length
    ? `Laying out ${state.building.join(", ")}…`
    : "Up to date";
  statusLine.textContent = building + counted(state.problems, "problem") + counted(state.warnings, "warning");
  document.body.dataset.generation = state.generation;
  document.body.dataset.building = state.building.length ? "yes" : "no";
}

function counted(list, noun) {
  return list.length ? ` · ${list.length} ${noun}${list.length === 1 ? "" : "s"}` : "";
}

function showProblems() {
  listProblems(problemsBox, state.problems);
  listProblems(warningsBox, state.warnings);
  warningsBox.querySelector("summary").textContent = `Warnings (${state.warnings.length})`;
  main.classList.toggle("stale", state.problems.length > 0);
}

function listProblems(box, problems) {
  box.querySelector("ul").replaceChildren(
    ...problems.map((problem) => {
      const item = document.createElement("li");
      if (problem.href) {
        const link = document.createElement("a");
        link.href = problem.href;
        link.target = "_blank";
        link.textContent = problem.text;
        item.append(link);
      } else {
        item.textContent = problem.text;
      }
      return item;
    }),
  );
  box.hidden = problems.length === 0;
}

// --- pages --------------------------------------------------------------------------

function showPages(view) {
  const product = state.products[view];
  if (shown.view !== view) {
    if (shown.view) scrollOf[shown.view] = window.scrollY;
    shown = { view, version: null, pages: 0 };
    main.replaceChildren();
  }
  if (!product.pages.length) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = product.note || emptyNote();
    main.replaceChildren(note);
    shown.pages = 0;
    return;
  }
  if (shown.version === product.version) return;
  const scrolled = window.scrollY;
  if (shown.pages !== product.pages.length) makePages(view, product);
  const pages = main.querySelectorAll(".page");
  product.pages.forEach((_, index) => {
    const image = pages[index].querySelector("img");
    const width = Math.ceil(pages[index].clientWidth * (window.devicePixelRatio || 1));
    image.src = `/pages/${view}/${index}.png?v=${product.version}&w=${width}`;
  });
  shown.version = product.version;
  shown.pages = product.pages.length;
  main.dataset.version = `${view}:${product.version}`;
  delete main.dataset.text;
  fillText();
  window.scrollTo(0, scrollOf[view] !== undefined ? scrollOf[view] : scrolled);
  delete scrollOf[view];
}

function emptyNote() {
  if (state.building.length) return "Laying out…";
  if (state.problems.length) return "The pages show once the problems above are fixed.";
  return "Nothing laid out yet.";
}

function makePages(view, product) {
  const list = document.createElement("div");
  list.className = view === "ebook" ? "pages spreads" : "pages";
  product.pages.forEach(([width, height, label], index) => {
    const page = document.createElement("div");
    page.className = "page";
    page.dataset.index = index;
    page.style.aspectRatio = `${width} / ${height}`;
    const image = document.createElement("img");
    image.alt = `Page ${label}`;
    image.loading = "lazy";
    const text = document.createElement("div");
    text.className = "text";
    const folio = document.createElement("span");
    folio.className = "folio";
    folio.textContent = label;
    folio.setAttribute("aria-hidden", "true");
    page.append(image, text, folio);
    list.append(page);
  });
  watcher.disconnect();
  nearView.clear();
  main.replaceChildren(list);
  for (const page of list.children) watcher.observe(page);
}

// Each page's text, laid over its picture: first the pages near the view, then (for a
// product short enough to hold it all) every other page, so the browser's search finds
// any word in it.
const TEXT_EVERYWHERE = 400; // pages; a longer product has text near the view only
const nearView = new Set(); // the indexes of the pages near the view
const watcher = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const index = Number(entry.target.dataset.index);
      if (entry.isIntersecting) nearView.add(index);
      else nearView.delete(index);
    }
    fillText();
  },
  { rootMargin: "1500px 0px" },
);
let filling = false;
let fillAgain = false;

async function fillText() {
  if (filling) {
    fillAgain = true;
    return;
  }
  filling = true;
  const { view, version } = shown;
  const pages = [...main.querySelectorAll(".page")];
  const wanted = (index) => pages[index].dataset.text !== String(version);
  const near = [...nearView].filter((index) => index < pages.length && wanted(index));
  await Promise.all(near.map((index) => fillPage(view, version, pages[index])));
  fitRuns(near.map((index) => pages[index].querySelector(".text")));
  if (pages.length <= TEXT_EVERYWHERE) {
    for (let index = 0; index < pages.length && !fillAgain; index++) {
      if (shown.view !== view || shown.version !== version) break;
      if (!wanted(index)) continue;
      await fillPage(view, version, pages[index]);
      fitRuns([pages[index].querySelector(".text")]);
    }
  }
  if (pages.length && pages.every((page) => page.dataset.text === String(version))) {
    main.dataset.text = `${view}:${version}`;
  }
  filling = false;
  if (fillAgain) {
    fillAgain = false;
    fillText();
  }
}

async function fillPage(view, version, page) {
  const response = await fetch(`/text/${view}/${page.dataset.index}.json?v=${version}`);
  if (!response.ok || shown.view !== view || shown.version !== version) return;
  const runs = await response.json();
  page.querySelector(".text").replaceChildren(
    ...runs.map(([left, top, width, height, words]) => {
      const span = document.createElement("span");
      span.textContent = words;
      span.style.left = `${left * 100}%`;
      span.style.top = `${top * 100}%`;
      span.style.fontSize = `${height * 100}cqh`;
      span.dataset.width = width;
      return span;
    }),
  );
  page.dataset.text = String(version);
}

function fitRuns(layers) {
  // Each run stretched to the width of its line on the page, so a search highlights it.
  // Every width is read before any is set: a read after a write would lay the whole
  // page out again, once per run.
  const measured = [];
  for (const layer of layers) {
    const pageWidth = layer.clientWidth;
    for (const span of layer.children) {
      const wanted = Number(span.dataset.width) * pageWidth;
      measured.push([span, wanted, span.getBoundingClientRect().width]);
    }
  }
  for (const [span, wanted, natural] of measured) {
    if (natural > 0) span.style.transform = `scaleX(${wanted / natural})`;
  }
}

// --- figures ------------------------------------------------------------------------

function showFigures() {
  if (shown.view !== "figures") {
    if (shown.view) scrollOf[shown.view] = window.scrollY;
    shown = { view: "figures", version: null, pages: 0 };
  }
  if (shown.version === state.generation) return;
  const scrolled = window.scrollY;
  const list = document.createElement("div");
  list.className = "figures";
  if (!state.figures.length) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = "No poses in this book yet: describe one in figures/ID.yaml.";
    list.append(note);
  }
  // The poses that cannot be drawn first: they are what the author is working on.
  const faulty = state.figures.filter((entry) => entry.fault);
  const drawn = state.figures.filter((entry) => !entry.fault);
  list.append(...[...faulty, ...drawn].map(figureCard));
  main.replaceChildren(list);
  shown.version = state.generation;
  main.dataset.version = `figures:${state.generation}`;
  window.scrollTo(0, scrollOf.figures !== undefined ? scrollOf.figures : scrolled);
  delete scrollOf.figures;
}

function figureCard(entry) {
  const card = document.createElement("article");
  card.className = "figure";
  card.id = `figure-${entry.exercise}`;
  const title = document.createElement("h2");
  title.textContent = entry.exercise;
  const source = document.createElement(entry.href ? "a" : "span");
  source.className = "source";
  source.textContent = entry.source;
  if (entry.href) {
    source.href = entry.href;
    source.target = "_blank";
  }
  card.append(title, source);
  if (entry.fault) {
    const fault = document.createElement("p");
    fault.className = "fault";
    fault.textContent = entry.fault;
    card.append(fault);
    if (entry.fix) {
      const fix = document.createElement("p");
      fix.className = "fix";
      const at = `${entry.fix.joint}: ${entry.fix.angle}°`;
      fix.textContent = `Nearest working angle: ${at} (keyframe ${entry.fix.keyframe + 1})`;
      card.append(fix);
    }
    const row = document.createElement("div");
    row.className = "row";
    if (entry.last_good) row.append(picture(entry.last_good, "Last drawing that worked"));
    if (entry.fixed) row.append(picture(entry.fixed, `With ${entry.fixed.caption}`));
    card.append(row);
    return card;
  }
  const whole = document.createElement("div");
  whole.className = "whole";
  whole.append(picture(entry.whole, "The figure as printed"));
  const row = document.createElement("div");
  row.className = "row";
  row.append(...entry.keyframes.map((keyframe) => picture(keyframe, keyframe.caption)));
  card.append(whole, row);
  return card;
}

function picture(drawing, caption) {
  const figure = document.createElement("figure");
  const image = document.createElement("img");
  image.src = drawing.src;
  image.alt = caption;
  const text = document.createElement("figcaption");
  text.textContent = caption;
  figure.append(image, text);
  return figure;
}

// --- updates ------------------------------------------------------------------------

window.addEventListener("hashchange", () => {
  if (state) render();
  refresh(); // tells the server which view to lay out first
});
window.addEventListener("resize", () => {
  fitRuns(main.querySelectorAll(".page .text"));
});

const events = new EventSource("/events");
events.onmessage = (event) => {
  if (!state || Number(event.data) !== state.generation) refresh();
};
refresh();
