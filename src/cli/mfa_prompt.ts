/**
 * Asking for an MFA code on the terminal, masked, through the UI's prompt module (echo off, "*"
 * per character). Only called when stdin is a terminal.
 */
import { InterruptedError, UsageError } from "../core/errors.ts";
import type { Io } from "../core/io.ts";
import { quote } from "../core/arn.ts";
import { validateMfaCode } from "../core/validate.ts";

/** Asks for a 6-digit MFA code with the UI's masked prompt; Ctrl-C → InterruptedError. */
export async function askMfaCodeOnTerminal(
  _io: Io,
  label: string,
  signal: AbortSignal,
): Promise<string> {
  const { makePrompts } = await import("../ui/prompts.ts");
  const code = await makePrompts({ signal }).askSecret(`MFA code for role ${quote(label)}`, {
    validate: validateMfaCode,
  });
  return validateMfaCode(code);
}

/** Fallback without the prompt library: raw-mode read of stdin; Ctrl-C or Ctrl-D → Interrupted. */
export async function readMfaCodeRaw(
  io: Io,
  label: string,
  signal: AbortSignal,
): Promise<string> {
  io.stderr(`MFA code for role ${quote(label)}: `);
  let raw = false;
  try {
    Deno.stdin.setRaw(true);
    raw = true;
  } catch {
    throw new UsageError(`Role ${quote(label)} needs an MFA code: pass --mfa-code`);
  }
  try {
    let code = "";
    const buf = new Uint8Array(64);
    while (true) {
      if (signal.aborted) throw new InterruptedError();
      const n = await Deno.stdin.read(buf);
      if (n === null) throw new InterruptedError();
      for (const byte of buf.subarray(0, n)) {
        if (byte === 3 || byte === 4) throw new InterruptedError(); // Ctrl-C, Ctrl-D
        if (byte === 13 || byte === 10) {
          io.stderr("\n");
          return validateMfaCode(code);
        }
        if (byte === 127 || byte === 8) {
          if (code.length > 0) {
            code = code.slice(0, -1);
            io.stderr("\b \b");
          }
        } else if (byte >= 0x30 && byte <= 0x39 && code.length < 6) {
          code += String.fromCharCode(byte);
          io.stderr("*");
        }
      }
    }
  } finally {
    if (raw) Deno.stdin.setRaw(false);
  }
}
