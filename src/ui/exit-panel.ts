// The exit panel: live VM statistics (state, instructions, exits by reason and by port, unclaimed
// ports, the last POST code) and the Pause/Resume and Reset buttons. It polls vm.stats() a few
// times a second; rates are deltas over the refresh interval.
//
// Every value the end-to-end tests read has a data-testid, and numbers also carry their raw value
// in data-value (the text is formatted with separators).

import type { Vm, VmStats } from "../vmm/vm";

export interface ExitPanelOptions {
  /** Called when the Pause/Resume button is pressed; `pause` says which. */
  onPauseToggle(pause: boolean): void;
  onReset(): void;
  /** Refresh period in ms (default 250). */
  intervalMs?: number;
}

export interface ExitPanel {
  /** Show this VM's statistics; null shows `label` as the state instead (loading, no VM). */
  setVm(vm: Vm | null, label?: string): void;
  /** An operation (pause, reset) is under way: the buttons are disabled until it ends. */
  setBusy(busy: boolean): void;
  /** Re-read the statistics now (after a button press) instead of at the next tick. */
  refresh(): void;
  /** Append debug console (port 0xE9) output. */
  debugcon(bytes: Uint8Array): void;
  dispose(): void;
}

/** Short names for well-known PC ports (the exit panel's "device" column). */
const COM_REGS = ["data", "IER", "IIR/FCR", "LCR", "MCR", "LSR", "MSR", "SCR"];
const WELL_KNOWN: [base: number, length: number, name: string][] = [
  [0x3f8, 8, "COM1"],
  [0x2f8, 8, "COM2"],
  [0x3e8, 8, "COM3"],
  [0x2e8, 8, "COM4"],
  [0xe9, 1, "debugcon"],
  [0x80, 1, "POST"],
  [0xf4, 1, "debug-exit"],
  [0x20, 2, "PIC master"],
  [0xa0, 2, "PIC slave"],
  [0x40, 4, "PIT"],
  [0x60, 1, "i8042 data"],
  [0x64, 1, "i8042 cmd"],
  [0x61, 1, "system ctrl B"],
  [0x70, 2, "CMOS/RTC"],
  [0x92, 1, "fast A20"],
  [0x3c0, 0x20, "VGA"],
  [0x1f0, 8, "IDE primary"],
  [0x3f6, 1, "IDE ctrl"],
  [0xcf8, 8, "PCI config"],
];

/** A short label for a port, e.g. "COM1 LSR" for 0x3FD; "" if unknown. */
export function portLabel(port: number): string {
  for (const [base, length, name] of WELL_KNOWN) {
    if (port >= base && port < base + length) {
      if (name.startsWith("COM")) return `${name} ${COM_REGS[port - base]}`;
      return name;
    }
  }
  return "";
}

/** 0x3FD, 0x80, ... */
export function hexPort(port: number): string {
  return "0x" + port.toString(16).toUpperCase().padStart(2, "0");
}

const integer = new Intl.NumberFormat("en-US");

/** 12.3 M/s, 950 /s */
function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "0 /s";
  const units: [number, string][] = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [scale, unit] of units) {
    if (perSecond >= scale) return `${(perSecond / scale).toFixed(perSecond / scale >= 100 ? 0 : 1)} ${unit}/s`;
  }
  return `${Math.round(perSecond)} /s`;
}

const STATE_TEXT: Record<VmStats["state"], string> = {
  running: "running",
  halted: "halted (HLT)",
  paused: "paused",
  stopped: "stopped",
};

const STATE_TITLE: Record<VmStats["state"], string> = {
  running: "The vCPU is executing guest code",
  halted: "The guest executed HLT and waits for an interrupt; it costs no host CPU",
  paused: "Stopped at an instruction boundary by Pause; Resume continues",
  stopped: "The run has ended (see the status line under the terminal); Reset starts it again",
};

const MAX_PORT_ROWS = 10;
const MAX_DEBUGCON_CHARS = 8192;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function setNumber(e: HTMLElement, value: number, text = integer.format(value)): void {
  const v = String(value);
  if (e.dataset.value !== v) e.dataset.value = v;
  if (e.textContent !== text) e.textContent = text;
}

function setText(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Build the panel inside `root` (its previous content is replaced). */
export function createExitPanel(root: HTMLElement, options: ExitPanelOptions): ExitPanel {
  const intervalMs = options.intervalMs ?? 250;

  // ---- static structure ----
  const stateDot = el("span", { class: "dot" });
  const stateText = el("span", { "data-testid": "state" }, "loading");
  const pauseButton = el("button", { type: "button", "data-testid": "pause", class: "btn" }, "Pause");
  const resetButton = el("button", { type: "button", "data-testid": "reset", class: "btn" }, "Reset");
  const instructions = el("span", { class: "num", "data-testid": "instructions", "data-value": "0" }, "0");
  const ips = el("span", { class: "num", "data-testid": "ips", "data-value": "0" }, "0 /s");
  const interrupts = el("span", { class: "num", "data-testid": "interrupts", "data-value": "0" }, "0");
  const haltSleeps = el("span", { class: "num", "data-testid": "halt-sleeps", "data-value": "0" }, "0");
  const exitsTotal = el("span", { class: "num", "data-testid": "exits-total", "data-value": "0" }, "0");
  const exitRate = el("span", { class: "num", "data-testid": "exits-rate", "data-value": "0" }, "0 /s");
  const reasonBody = el("tbody", { "data-testid": "exits-by-reason" });
  const portBody = el("tbody", { "data-testid": "exits-by-port" });
  const portsMore = el("p", { class: "muted small", hidden: "" });
  const unclaimed = el("div", { "data-testid": "unclaimed", class: "unclaimed" }, "none");
  const postCode = el("span", { class: "num post", "data-testid": "post-code", "data-value": "" }, "—");
  const debugconPre = el("pre", { class: "debugcon", "data-testid": "debugcon" });
  const debugconSection = el("section", { class: "card", hidden: "" }, el("h2", {}, "Debug console (port 0xE9)"), debugconPre);

  const row = (label: string, value: HTMLElement) => el("div", { class: "kv" }, el("span", { class: "k" }, label), value);

  root.replaceChildren(
    el(
      "section",
      { class: "card" },
      el("h2", {}, "Machine"),
      el("div", { class: "kv" }, el("span", { class: "k" }, "State"), el("span", { class: "state" }, stateDot, stateText)),
      el("div", { class: "buttons" }, pauseButton, resetButton),
    ),
    el(
      "section",
      { class: "card" },
      el("h2", {}, "vCPU"),
      row("Instructions retired", instructions),
      row("Instructions / s", ips),
      row("Interrupts delivered", interrupts),
      row("HLT sleeps (no exit)", haltSleeps),
    ),
    el(
      "section",
      { class: "card" },
      el("h2", {}, "Exits"),
      row("Total exits", exitsTotal),
      row("Exits / s", exitRate),
      el("table", { class: "table" }, el("thead", {}, el("tr", {}, el("th", {}, "Reason"), el("th", { class: "r" }, "Count"), el("th", { class: "bar-col" }, ""))), reasonBody),
    ),
    el(
      "section",
      { class: "card" },
      el("h2", {}, "Exits by port"),
      el(
        "table",
        { class: "table" },
        el("thead", {}, el("tr", {}, el("th", {}, "Port"), el("th", {}, "Device"), el("th", { class: "r" }, "Reads"), el("th", { class: "r" }, "Writes"))),
        portBody,
      ),
      portsMore,
    ),
    el("section", { class: "card" }, el("h2", {}, "Unclaimed port accesses"), unclaimed),
    el("section", { class: "card" }, el("h2", {}, "POST code"), row("Last code (port 0x80)", postCode)),
    debugconSection,
  );

  // ---- behaviour ----
  let vm: Vm | null = null;
  let noVmLabel = "loading";
  let busy = false;
  let updates = 0;
  let last: { t: number; instructions: number; exits: number } | null = null;

  pauseButton.addEventListener("click", () => {
    if (!vm || busy) return;
    const s = vm.stats().state;
    if (s === "paused") options.onPauseToggle(false);
    else if (s === "running" || s === "halted") options.onPauseToggle(true);
  });
  resetButton.addEventListener("click", () => {
    if (vm && !busy) options.onReset();
  });

  function renderButtons(state: VmStats["state"] | null): void {
    const paused = state === "paused";
    setText(pauseButton, paused ? "Resume" : "Pause");
    pauseButton.classList.toggle("primary", paused);
    pauseButton.disabled = busy || state === null || state === "stopped";
    pauseButton.title = paused ? "Continue running the vCPU" : "Stop the vCPU at the next instruction boundary";
    resetButton.disabled = busy || state === null;
    resetButton.title = "Reset the CPU (RAM is kept, as on a hardware reset) and run again";
  }

  function renderReasons(byReason: Record<string, number>, total: number): void {
    const entries = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
    const rows = entries.map(([name, count]) => {
      const bar = el("span", { class: "bar" });
      bar.style.width = `${total > 0 ? Math.max(2, (100 * count) / total) : 0}%`;
      const value = el("td", { class: "r num", "data-testid": `exits-${name}`, "data-value": String(count) }, integer.format(count));
      return el("tr", {}, el("td", {}, name), value, el("td", { class: "bar-col" }, bar));
    });
    if (rows.length === 0) rows.push(el("tr", {}, el("td", { class: "muted", colspan: "3" }, "no exits yet")));
    reasonBody.replaceChildren(...rows);
  }

  function renderPorts(byPort: VmStats["exitsByPort"]): void {
    const entries = [...byPort].sort((a, b) => b[1].reads + b[1].writes - (a[1].reads + a[1].writes) || a[0] - b[0]);
    const rows = entries.slice(0, MAX_PORT_ROWS).map(([port, { reads, writes }]) =>
      el(
        "tr",
        { "data-testid": `port-${hexPort(port)}`, "data-reads": String(reads), "data-writes": String(writes) },
        el("td", { class: "mono" }, hexPort(port)),
        el("td", { class: "muted" }, portLabel(port)),
        el("td", { class: "r num" }, integer.format(reads)),
        el("td", { class: "r num" }, integer.format(writes)),
      ),
    );
    if (rows.length === 0) rows.push(el("tr", {}, el("td", { class: "muted", colspan: "4" }, "no port exits yet")));
    portBody.replaceChildren(...rows);
    const more = entries.length - MAX_PORT_ROWS;
    portsMore.hidden = more <= 0;
    if (more > 0) setText(portsMore, `and ${more} more port${more === 1 ? "" : "s"}`);
  }

  function renderUnclaimed(map: VmStats["unclaimedPorts"]): void {
    if (map.size === 0) {
      unclaimed.replaceChildren("none");
      unclaimed.dataset.count = "0";
      return;
    }
    const entries = [...map].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    let total = 0;
    const items = entries.slice(0, MAX_PORT_ROWS).map(([port, count]) => {
      total += count;
      const label = portLabel(port);
      return el(
        "div",
        { class: "kv", "data-testid": `unclaimed-${hexPort(port)}`, "data-value": String(count) },
        el("span", { class: "k mono" }, hexPort(port), label ? el("span", { class: "muted" }, ` ${label}`) : ""),
        el("span", { class: "num" }, integer.format(count)),
      );
    });
    for (const [, count] of entries.slice(MAX_PORT_ROWS)) total += count;
    unclaimed.dataset.count = String(total);
    if (entries.length > MAX_PORT_ROWS) items.push(el("div", { class: "muted small" }, `and ${entries.length - MAX_PORT_ROWS} more`));
    unclaimed.replaceChildren(...items);
  }

  function update(): void {
    updates++;
    root.dataset.updates = String(updates);
    if (!vm) {
      stateText.dataset.value = "none";
      setText(stateText, noVmLabel);
      stateDot.className = "dot";
      renderButtons(null);
      return;
    }
    let stats: VmStats;
    try {
      stats = vm.stats();
    } catch {
      return; // a VM torn down under us: keep the last numbers
    }
    const now = performance.now();
    const total = Object.values(stats.exitsByReason).reduce((a, b) => a + b, 0);

    root.dataset.state = stats.state;
    stateText.dataset.value = stats.state;
    setText(stateText, STATE_TEXT[stats.state]);
    stateText.title = STATE_TITLE[stats.state];
    stateDot.className = `dot ${stats.state}`;
    renderButtons(stats.state);

    setNumber(instructions, stats.instructions);
    setNumber(exitsTotal, total);
    setNumber(interrupts, stats.interrupts);
    setNumber(haltSleeps, stats.haltSleeps);
    if (last) {
      const dt = (now - last.t) / 1000;
      const ipsValue = dt > 0 ? Math.max(0, stats.instructions - last.instructions) / dt : 0;
      const exitValue = dt > 0 ? Math.max(0, total - last.exits) / dt : 0;
      setNumber(ips, Math.round(ipsValue), rate(ipsValue));
      setNumber(exitRate, Math.round(exitValue), rate(exitValue));
    }
    last = { t: now, instructions: stats.instructions, exits: total };

    renderReasons(stats.exitsByReason, total);
    renderPorts(stats.exitsByPort);
    renderUnclaimed(stats.unclaimedPorts);
    if (stats.lastPostCode === null) setNumber(postCode, -1, "—");
    else setNumber(postCode, stats.lastPostCode, `0x${stats.lastPostCode.toString(16).toUpperCase().padStart(2, "0")}`);
  }

  const timer = setInterval(update, intervalMs);
  update();

  let debugconText = "";
  let debugconScheduled = false;
  const decoder = new TextDecoder("utf-8");
  const showDebugcon = () => {
    debugconScheduled = false;
    if (debugconText.length > MAX_DEBUGCON_CHARS) debugconText = debugconText.slice(-MAX_DEBUGCON_CHARS);
    debugconSection.hidden = false;
    debugconPre.textContent = debugconText;
    debugconPre.scrollTop = debugconPre.scrollHeight;
  };
  return {
    setVm(v, label = "loading") {
      vm = v;
      noVmLabel = label;
      last = null;
      update();
    },
    setBusy(b) {
      busy = b;
      update();
    },
    refresh: update,
    debugcon(bytes) {
      // The device writes a byte at a time: decode now, touch the DOM once per task.
      debugconText += decoder.decode(bytes, { stream: true });
      if (!debugconScheduled) {
        debugconScheduled = true;
        setTimeout(showDebugcon, 0);
      }
    },
    dispose() {
      clearInterval(timer);
    },
  };
}
