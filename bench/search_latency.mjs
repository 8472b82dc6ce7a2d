// Search latency in a real browser: how long the search page of a built site
// takes to show results, first query (page load, Pagefind start-up, merging
// every shard) and later queries (typed into the box), in Chromium over HTTP.
//
//   node --experimental-websocket bench/search_latency.mjs URL [RUNS] [WORD ...]
//
// URL is the site's search page (e.g. http://127.0.0.1:8123/search/), served
// by any static server. Prints the median of RUNS (default 5) per measure, in
// milliseconds. Uses Debian's chromium through the DevTools protocol (Node 20
// needs --experimental-websocket; Node 22 has WebSocket built in).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, runsArg, ...wordsArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: search_latency.mjs SEARCH_PAGE_URL [RUNS] [WORD ...]");
  process.exit(2);
}
const runs = Number(runsArg || 5);
const words = wordsArg.length ? wordsArg : ["iran", "sanctions", "ceasefire", "election"];
const port = 9300 + Math.floor(Math.random() * 500);
const profile = mkdtempSync(join(tmpdir(), "latency-"));
const browser = spawn(
  process.env.CHROMIUM || "chromium",
  ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
   `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank"],
  { stdio: "ignore" },
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function pageSocket() {
  for (let i = 0; i < 100; i++) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
      const page = targets.find((t) => t.type === "page");
      if (page) return page.webSocketDebuggerUrl;
    } catch {}
    await sleep(100);
  }
  throw new Error("chromium did not start");
}

const ws = new WebSocket(await pageSocket());
await new Promise((r) => ws.addEventListener("open", r, { once: true }));
let nextId = 1;
const waiting = new Map();
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (msg.id && waiting.has(msg.id)) {
    waiting.get(msg.id)(msg);
    waiting.delete(msg.id);
  }
});
const send = (method, params = {}) =>
  new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
const evaluate = async (expression) => {
  const r = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.result?.exceptionDetails) throw new Error(JSON.stringify(r.result.exceptionDetails));
  return r.result?.result?.value;
};

// Resolves with performance.now() once the result list shows `word`'s
// results (its first item changed from `before`), or rejects after 30 s.
const shown = (before) => `new Promise((ok, fail) => {
  const t0 = Date.now();
  const tick = () => {
    const first = document.querySelector("#search-results > li");
    if (first && first.textContent !== ${JSON.stringify(before)}) return ok(performance.now());
    if (Date.now() - t0 > 30000) return fail(new Error("no results"));
    setTimeout(tick, 2);
  };
  tick();
})`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = [];
const typed = [];
await send("Network.enable");
await send("Network.setCacheDisabled", { cacheDisabled: true });
for (let i = 0; i < runs; i++) {
  const word = words[i % words.length];
  await send("Page.navigate", { url: `${url}?q=${encodeURIComponent(word)}` });
  await sleep(50);
  first.push(await evaluate(shown("")));
  for (const other of words.filter((w) => w !== word)) {
    const before = await evaluate(`document.querySelector("#search-results > li")?.textContent || ""`);
    const start = await evaluate(`(() => {
      const input = document.getElementById("search-input");
      input.value = ${JSON.stringify(other)};
      const t = performance.now();
      input.dispatchEvent(new Event("input"));
      return t;
    })()`);
    typed.push((await evaluate(shown(before))) - start);
  }
}
console.log(`first query (load + start-up + query), median of ${first.length}: ${median(first).toFixed(0)} ms`);
console.log(`typed query, median of ${typed.length}: ${median(typed).toFixed(0)} ms`);
ws.close();
browser.kill();
rmSync(profile, { recursive: true, force: true });
