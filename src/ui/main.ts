// The tabvisor page: reads the guest from the URL (?bios=<url>, ?m=<MiB>, or ?kernel=<url> with
// ?initrd= and ?append= for a Linux direct boot), fetches it, builds the VM with COM1 on an
// xterm.js terminal, runs it, and shows the live exit panel. Every failure ends up in the error
// banner; the end of a run ends up in the status line.

import "./style.css";
import type { Terminal } from "@xterm/xterm";
import { createVM, VmConfigError, type Vm, type RunOutcome } from "../browser";
import { createTerminal } from "./terminal";
import { createExitPanel } from "./exit-panel";

declare global {
  interface Window {
    /** For tests and debugging in the console. */
    tabvisor: {
      vm: Vm | null;
      term: Terminal;
      /** How the last run ended, once it has. */
      outcome: RunOutcome | null;
      /** The message in the error banner, if any. */
      error: string | null;
    };
  }
}

const DEFAULT_BIOS = "/guests/demo.bin";
const DEFAULT_MEMORY_MIB = 16;
/** A Linux kernel needs more room than a ROM demo. */
const DEFAULT_KERNEL_MEMORY_MIB = 128;
/** The page's only console is the serial port. */
const DEFAULT_CMDLINE = "console=ttyS0";
const MAX_MEMORY_MIB = 2048;
const MIB = 1024 * 1024;
/** Warn if the VM is not up after this long (a worker or core that failed to load never answers). */
const START_WATCHDOG_MS = 20_000;

/** An error whose message is already a complete sentence for the banner. */
class PageError extends Error {}

function byTestId<T extends HTMLElement>(id: string): T {
  const e = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!e) throw new Error(`index.html has no [data-testid="${id}"]`);
  return e;
}

const errorBanner = byTestId<HTMLDivElement>("error");
const statusLine = byTestId<HTMLDivElement>("outcome");
const guestLine = byTestId<HTMLParagraphElement>("guest");

const console_ = createTerminal(document.getElementById("terminal")!);
const term = console_.term;
window.tabvisor = { vm: null, term, outcome: null, error: null };

function showError(message: string): void {
  window.tabvisor.error = message;
  errorBanner.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = "Error: ";
  errorBanner.append(title, message);
  errorBanner.hidden = false;
}

function clearError(): void {
  window.tabvisor.error = null;
  errorBanner.hidden = true;
  errorBanner.replaceChildren();
}

function setStatus(text: string, kind = "info"): void {
  statusLine.textContent = text;
  statusLine.dataset.kind = kind;
}

function describe(e: unknown): string {
  if (e instanceof PageError || e instanceof VmConfigError) return e.message;
  if (e instanceof Error) return `${e.name === "Error" ? "" : e.name + ": "}${e.message}`;
  return String(e);
}

// ---- URL parameters --------------------------------------------------------------------------
//   ?bios=<url>     BIOS ROM image (default /guests/demo.bin unless a kernel is given)
//   ?m=<MiB>        guest RAM (default 16, or 128 with a kernel)
//   ?kernel=<url>   a Linux bzImage to boot directly; ?initrd=<url>, ?append=<command line>

interface Config {
  biosUrl: string | null;
  kernelUrl: string | null;
  initrdUrl: string | null;
  cmdline: string;
  memoryMiB: number;
}

function readConfig(): Config {
  const params = new URLSearchParams(location.search);
  const get = (name: string) => params.get(name)?.trim() || null;
  const kernelUrl = get("kernel");
  const biosUrl = get("bios") ?? (kernelUrl ? null : DEFAULT_BIOS);
  const m = get("m");
  let memoryMiB = kernelUrl ? DEFAULT_KERNEL_MEMORY_MIB : DEFAULT_MEMORY_MIB;
  if (m) {
    if (!/^\d+$/.test(m) || Number(m) < 1 || Number(m) > MAX_MEMORY_MIB) {
      throw new PageError(`?m=${m}: guest RAM must be a whole number of MiB from 1 to ${MAX_MEMORY_MIB}`);
    }
    memoryMiB = Number(m);
  }
  return { biosUrl, kernelUrl, initrdUrl: get("initrd"), cmdline: params.get("append") ?? DEFAULT_CMDLINE, memoryMiB };
}

/** The last path segment of a URL, for titles and status lines. */
function fileName(url: string): string {
  return url.split(/[?#]/)[0]!.split("/").pop() || url;
}

/** Fetch a guest image. The dev server answers unknown paths with index.html, so ask for bytes
 * (which turns that fallback off) and reject an HTML answer anyway. */
async function fetchImage(url: string, what: string): Promise<Uint8Array> {
  setStatus(`Loading ${url}…`, "loading");
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/octet-stream" } });
  } catch (e) {
    throw new PageError(`could not fetch the ${what} ${url}: ${describe(e)}`);
  }
  if (!response.ok) {
    const why = response.status === 404 ? "not found" : "the server refused it";
    throw new PageError(`could not load the ${what} ${url}: ${why} (HTTP ${response.status}${response.statusText ? " " + response.statusText : ""})`);
  }
  if ((response.headers.get("content-type") ?? "").includes("text/html")) {
    throw new PageError(`could not load the ${what} ${url}: the server sent an HTML page, not an image (is the path right?)`);
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw new PageError(`could not download the ${what} ${url}: ${describe(e)}`);
  }
}

function sizeText(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

// ---- the VM ------------------------------------------------------------------------------------

let vm: Vm | null = null;
let watchedRun: Promise<RunOutcome> | null = null;
let runningText = "";

const panel = createExitPanel(document.getElementById("panel")!, {
  onPauseToggle: (pause) => void control(pause ? "pause" : "resume"),
  onReset: () => void control("reset"),
});
console_.setInput((bytes) => vm?.sendSerial(bytes));

/** Follow a run (vm.start()'s promise) and report how it ends. A promise is followed once. */
function watch(run: Promise<RunOutcome>): void {
  if (run === watchedRun) return;
  watchedRun = run;
  run.then(
    (outcome) => {
      if (watchedRun !== run) return;
      window.tabvisor.outcome = outcome;
      statusLine.dataset.status = String(outcome.status);
      setStatus(`Run ended (${outcome.kind}, status ${outcome.status}): ${outcome.message}`, outcome.kind);
      console_.note(`run ended: ${outcome.message}; Reset starts it again`);
      panel.refresh();
    },
    (e) => showError(`the run failed: ${describe(e)}`),
  );
}

async function control(action: "pause" | "resume" | "reset"): Promise<void> {
  const v = vm;
  if (!v) return;
  panel.setBusy(true);
  try {
    switch (action) {
      case "pause":
        await v.pause();
        // The run may have ended on its own meanwhile; then its outcome stays in the status line.
        if (v.stats().state === "paused") setStatus("Paused: keystrokes are queued for the guest until you resume", "paused");
        break;
      case "resume":
        v.resume();
        setStatus(runningText, "running");
        break;
      case "reset":
        window.tabvisor.outcome = null;
        delete statusLine.dataset.status;
        await v.pause(); // park the vCPU first, so the note lands between the two runs' output
        console_.note("reset");
        await v.reset();
        watch(v.start()); // runs again even if it was paused or the run had ended
        setStatus(runningText, "running");
        break;
    }
  } catch (e) {
    showError(`${action} failed: ${describe(e)}`);
  } finally {
    panel.setBusy(false);
    term.focus();
  }
}

async function boot(): Promise<void> {
  const config = readConfig();
  const mainUrl = (config.kernelUrl ?? config.biosUrl)!;
  const name = fileName(mainUrl);
  document.title = `tabvisor — ${name}`;
  guestLine.textContent = `guest ${mainUrl} · ${config.memoryMiB} MiB RAM`;

  if (!globalThis.crossOriginIsolated) {
    throw new PageError(
      "this page is not cross-origin isolated, so the VM cannot share memory with its vCPU worker. " +
        "Serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (npm start does).",
    );
  }

  const bios = config.biosUrl ? await fetchImage(config.biosUrl, "guest ROM") : undefined;
  const kernel = config.kernelUrl ? await fetchImage(config.kernelUrl, "kernel") : undefined;
  const initrd = config.initrdUrl ? await fetchImage(config.initrdUrl, "initrd") : undefined;

  setStatus("Starting the VM…", "loading");
  let slowStart = false;
  const watchdog = setTimeout(() => {
    slowStart = true;
    showError(`the VM has not started after ${START_WATCHDOG_MS / 1000} s: the vCPU worker or the CPU core may have failed to load (see the browser console)`);
  }, START_WATCHDOG_MS);
  try {
    vm = await createVM({
      bios,
      biosName: config.biosUrl ?? undefined,
      kernel,
      kernelName: config.kernelUrl ?? undefined,
      initrd,
      initrdName: config.initrdUrl ?? undefined,
      cmdline: kernel ? config.cmdline : undefined,
      memorySize: config.memoryMiB * MIB,
      serial: console_.sink,
      debugcon: { write: (bytes) => panel.debugcon(bytes) },
    });
  } finally {
    clearTimeout(watchdog);
  }
  if (slowStart) clearError(); // it was only slow
  window.tabvisor.vm = vm;
  const parts = [`guest ${mainUrl}`];
  if (bios) parts.push(`${sizeText(bios.length)} ROM`);
  if (kernel) parts.push(`${sizeText(kernel.length)} kernel`);
  if (initrd) parts.push(`${sizeText(initrd.length)} initrd`);
  parts.push(`${config.memoryMiB} MiB RAM`);
  guestLine.textContent = parts.join(" · ");
  if (kernel) guestLine.title = `kernel command line: ${config.cmdline}`;
  runningText = `Running ${name}`;
  panel.setVm(vm);
  watch(vm.start());
  setStatus(runningText, "running");
  panel.refresh();
  term.focus();
}

window.addEventListener("unhandledrejection", (e) => showError(`unexpected error: ${describe(e.reason)}`));
window.addEventListener("error", (e) => showError(`unexpected error: ${e.message}`));
window.addEventListener("pagehide", () => void vm?.destroy());

boot().catch((e) => {
  showError(describe(e));
  setStatus("Not running: see the error above", "error");
  panel.setVm(vm, "no VM");
});
