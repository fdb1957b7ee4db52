// The serial console: an xterm.js terminal wired to COM1. Guest output arrives as bytes (one per
// THR write) and is batched before it reaches xterm; keystrokes go back as UTF-8 bytes.

import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import type { ByteSink } from "../vmm/device";

export interface SerialTerminal {
  readonly term: Terminal;
  /** The ByteSink to give the VM as `serial`. */
  readonly sink: ByteSink;
  /** Send keystrokes here (the VM's sendSerial); null drops them. */
  setInput(send: ((bytes: Uint8Array) => void) | null): void;
  /** A line from tabvisor itself (not the guest), dimmed so it stands apart from guest output. */
  note(text: string): void;
  dispose(): void;
}

const MIN_COLS = 20;
const MIN_ROWS = 5;

/** Create the terminal inside `container`, sized to fill it, and focus it. */
export function createTerminal(container: HTMLElement): SerialTerminal {
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 14,
    scrollback: 5000,
    allowProposedApi: false,
    theme: {
      background: "#0b0e14",
      foreground: "#d8dee9",
      cursor: "#7fdbca",
      selectionBackground: "#3b4252",
    },
  });
  term.open(container);

  // Output: collect the guest's bytes and hand them to xterm in chunks (xterm decodes UTF-8,
  // also across chunk boundaries).
  let pending: Uint8Array = new Uint8Array(4096);
  let pendingLength = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pendingLength === 0) return;
    term.write(pending.slice(0, pendingLength));
    pendingLength = 0;
  };
  const sink: ByteSink = {
    write(bytes: Uint8Array) {
      if (pendingLength + bytes.length > pending.length) {
        const bigger = new Uint8Array(Math.max(pending.length * 2, pendingLength + bytes.length));
        bigger.set(pending.subarray(0, pendingLength));
        pending = bigger;
      }
      pending.set(bytes, pendingLength);
      pendingLength += bytes.length;
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 0);
      }
    },
  };

  // Input: xterm gives strings (UTF-16); the UART wants bytes. onBinary carries raw bytes
  // (e.g. some mouse reports) as a string of char codes 0-255.
  let send: ((bytes: Uint8Array) => void) | null = null;
  const encoder = new TextEncoder();
  const subscriptions = [
    term.onData((s) => send?.(encoder.encode(s))),
    term.onBinary((s) => send?.(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff))),
  ];

  // Fit the grid to the container. The cell size comes from what xterm rendered: the screen
  // element is exactly cols x rows cells.
  const fit = () => {
    const screen = container.querySelector<HTMLElement>(".xterm-screen");
    if (!screen) return;
    const rect = screen.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const cellWidth = rect.width / term.cols;
    const cellHeight = rect.height / term.rows;
    const style = getComputedStyle(container);
    const width = container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 14; // scrollbar
    const height = container.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const cols = Math.max(MIN_COLS, Math.floor(width / cellWidth));
    const rows = Math.max(MIN_ROWS, Math.floor(height / cellHeight));
    if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
  };
  let fitQueued = false;
  const observer = new ResizeObserver(() => {
    if (fitQueued) return;
    fitQueued = true;
    requestAnimationFrame(() => {
      fitQueued = false;
      fit();
    });
  });
  observer.observe(container);
  fit();
  term.focus();

  return {
    term,
    sink,
    setInput(fn) {
      send = fn;
    },
    note(text: string) {
      flush();
      term.write(`\r\n\x1b[2;36m[tabvisor] ${text}\x1b[0m\r\n`);
    },
    dispose() {
      observer.disconnect();
      for (const s of subscriptions) s.dispose();
      term.dispose();
    },
  };
}
