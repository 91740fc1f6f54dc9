/**
 * Binds the table reducer to a terminal: raw mode, the alternate screen, redrawing only the lines
 * that changed at most ~30 times a second, resize, a clock tick for the time left. The terminal
 * is injected (input, output, size) so the runtime is tested without one; `realTerminal()` is the
 * process' own. The cursor and the screen are restored whatever happens (quit, Ctrl-C, errors),
 * and the lookups are aborted when the view closes.
 */
import process from "node:process";
import { InterruptedError } from "../../core/errors.ts";
import type { BrowserPage, BrowserTarget } from "../browser/state.ts";
import { decodeKeys } from "./keys.ts";
import {
  type Effect,
  initialState,
  type Notice,
  type Size,
  type TableEvent,
  type TableHeader,
  type TableState,
  type TableUpdate,
  update,
} from "./state.ts";
import { view } from "./view.ts";

/** What the table needs from a terminal. */
export interface TableTerminal {
  write(text: string): void;
  size(): Size;
  /** Deliver raw input chunks to `handler` until the returned function is called. */
  onInput(handler: (data: string) => void): () => void;
  /** Call `handler` when the terminal is resized, until the returned function is called. */
  onResize(handler: () => void): () => void;
  setRaw(raw: boolean): void;
}

/** Fills the table: call `emit` for every update; stop when `signal` aborts. */
export type RowSource = (signal: AbortSignal, emit: (u: TableUpdate) => void) => Promise<void>;

/** Loads one page of a bucket's folder for the object browser. */
export type PageSource = (
  target: BrowserTarget,
  request: { prefix: string; token?: string; signal: AbortSignal },
) => Promise<BrowserPage>;

export interface RunTableOptions {
  terminal: TableTerminal;
  header: TableHeader;
  source: RowSource;
  color: boolean;
  now?: () => Date;
  /** Minimum milliseconds between frames (default 33: ~30 frames a second). */
  frameMs?: number;
  /** Milliseconds between clock ticks (default 1000). */
  tickMs?: number;
  /** Turns a listing failure into the one line shown in the table. */
  describeError?: (err: unknown) => string;
  /** Pages of a bucket for the object browser (Enter on a bucket); absent: browsing says so. */
  browse?: PageSource;
  /** One line explaining an AWS error code (shown under a refused folder). */
  explain?: (code: string, message: string) => string | undefined;
  /**
   * `o`: opens the console as the role in use (`role`: the selected row's role in the combined
   * table) and resolves to the line the footer shows; a rejection is shown as the reason.
   * Absent: `o` says the console is not available here.
   */
  console?: (role: string | undefined, signal: AbortSignal) => Promise<string>;
  /** Called with every state after it is drawn (tests, debugging). */
  onFrame?: (state: TableState, lines: readonly string[]) => void;
}

/** How the table was left. Ctrl-C throws InterruptedError instead. */
export type TableExit = "quit" | "back";

const ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
const LEAVE_SCREEN = "\x1b[?25h\x1b[?1049l";

export async function runTable(options: RunTableOptions): Promise<TableExit> {
  const { terminal } = options;
  const now = options.now ?? (() => new Date());
  const frameMs = options.frameMs ?? 33;
  const lookups = new AbortController();
  let state = initialState({ header: options.header, size: terminal.size(), now: now() });
  let pending: TableUpdate[] = [];
  let browsing: AbortController | undefined;
  let drawn: string[] = [];
  let lastFrame = 0;
  let frameTimer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  let resolveExit!: (exit: TableExit) => void;
  let rejectExit!: (err: unknown) => void;
  const exit = new Promise<TableExit>((res, rej) => {
    resolveExit = res;
    rejectExit = rej;
  });

  const dispatch = (event: TableEvent) => {
    const r = update(state, event);
    state = r.state;
    for (const e of r.effects) perform(e);
  };
  const perform = (effect: Effect) => {
    if (finished) return;
    if (effect.type === "browse") {
      browse(effect);
      return;
    }
    if (effect.type === "console") {
      openConsole(effect.role);
      return;
    }
    finished = true;
    if (effect.type === "interrupt") rejectExit(new InterruptedError());
    else resolveExit(effect.type);
  };
  const browse = (effect: Extract<Effect, { type: "browse" }>) => {
    browsing?.abort(); // a newer request makes the older one stale
    const controller = new AbortController();
    browsing = controller;
    const { request } = effect;
    const answer = (event: TableEvent) => {
      if (finished || controller.signal.aborted) return;
      dispatch(event);
      schedule();
    };
    if (!options.browse) {
      answer({
        type: "browser",
        event: {
          type: "failed",
          request,
          code: "Unavailable",
          message: "object browsing is not available here",
        },
      });
      return;
    }
    options.browse(effect.target, {
      prefix: effect.prefix,
      ...(effect.token ? { token: effect.token } : {}),
      signal: controller.signal,
    }).then(
      (page) => answer({ type: "browser", event: { type: "page", request, page } }),
      (err) => answer({ type: "browser", event: { type: "failed", request, ...failureOf(err) } }),
    );
  };
  const openConsole = (role: string | undefined) => {
    const answer = (notice: Notice) => {
      if (finished) return;
      dispatch({ type: "notice", notice });
      schedule();
    };
    if (!options.console) {
      answer({ text: "the console link is not available here", tone: "error" });
      return;
    }
    options.console(role, lookups.signal).then(
      (text) => answer({ text, tone: "ok" }),
      (err) => {
        // AWS errors by code and reason; others (no link without temporary credentials…) as said.
        const reason = typeof (err as { code?: unknown })?.code === "string"
          ? `${failureOf(err).code}: ${failureOf(err).message}`
          : err instanceof Error
          ? err.message
          : String(err);
        answer({ text: `console link failed: ${reason}`, tone: "error" });
      },
    );
  };
  const flushRows = () => {
    if (pending.length === 0) return;
    const updates = pending;
    pending = [];
    dispatch({ type: "rows", updates });
  };
  const draw = () => {
    frameTimer = undefined;
    if (finished) return;
    flushRows();
    lastFrame = Date.now();
    const size = state.size;
    const lines = view(state, {
      width: size.width,
      height: size.height,
      color: options.color,
      ...(options.explain ? { explain: options.explain } : {}),
    });
    let out = "";
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== drawn[i]) out += `\x1b[${i + 1};1H${lines[i]}\x1b[K`;
    }
    for (let i = lines.length; i < drawn.length; i++) out += `\x1b[${i + 1};1H\x1b[K`;
    if (out) terminal.write(out);
    drawn = lines;
    options.onFrame?.(state, lines);
  };
  const schedule = () => {
    if (frameTimer !== undefined || finished) return;
    const wait = Math.max(0, lastFrame + frameMs - Date.now());
    frameTimer = setTimeout(draw, wait);
  };

  const stopInput = terminal.onInput((data) => {
    if (finished) return;
    flushRows();
    for (const key of decodeKeys(data)) {
      dispatch({ type: "key", key });
      if (finished) return;
    }
    schedule();
  });
  const stopResize = terminal.onResize(() => {
    dispatch({ type: "resize", size: terminal.size() });
    drawn = []; // the terminal may have reflowed: redraw everything
    terminal.write("\x1b[H\x1b[2J");
    schedule();
  });
  const ticker = setInterval(() => {
    dispatch({ type: "tick", now: now() });
    schedule();
  }, options.tickMs ?? 1000);

  try {
    terminal.setRaw(true);
    terminal.write(ENTER_SCREEN);
    draw();
    options.source(lookups.signal, (u) => {
      if (finished) return;
      pending.push(u);
      schedule();
    }).catch((err) => {
      if (finished || lookups.signal.aborted) return;
      const message = options.describeError?.(err) ??
        (err instanceof Error ? err.message : String(err));
      flushRows();
      dispatch({ type: "failed", message });
      schedule();
    });
    return await exit;
  } finally {
    finished = true;
    lookups.abort();
    browsing?.abort();
    clearInterval(ticker);
    if (frameTimer !== undefined) clearTimeout(frameTimer);
    stopInput();
    stopResize();
    try {
      terminal.write(LEAVE_SCREEN);
    } finally {
      terminal.setRaw(false);
    }
  }
}

/** An error as the browser shows it: its AWS code and the reason without the "X failed: CODE:". */
export function failureOf(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === "string"
    ? e.code
    : typeof e?.name === "string"
    ? e.name
    : "Error";
  const raw = typeof e?.message === "string" ? e.message : String(err);
  const message = raw.replace(/^\w+ failed: /, "").replace(`${code}: `, "") || code;
  return { code, message };
}

/** The process' terminal: input from stdin (raw), drawing on stderr (stdout stays data). */
export function realTerminal(): TableTerminal {
  const stdin = process.stdin;
  return {
    write(text) {
      process.stderr.write(text);
    },
    size() {
      try {
        const { columns, rows } = Deno.consoleSize();
        return { width: columns, height: rows };
      } catch {
        return { width: 80, height: 24 };
      }
    },
    onInput(handler) {
      const listener = (chunk: string | Uint8Array) => {
        handler(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
      };
      stdin.on("data", listener);
      stdin.resume();
      return () => {
        stdin.removeListener("data", listener);
        stdin.pause();
      };
    },
    onResize(handler) {
      try {
        Deno.addSignalListener("SIGWINCH", handler);
        return () => Deno.removeSignalListener("SIGWINCH", handler);
      } catch {
        return () => {}; // no SIGWINCH (Windows): the size is read again on the next resize key
      }
    },
    setRaw(raw) {
      if (stdin.isTTY) stdin.setRawMode(raw);
    },
  };
}
