/** `xrole roles` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

const todo = () => Promise.reject(new UsageError('Command "roles" is not available yet'));
export const rolesListCommand = (_o: unknown, _d: CliDeps): Promise<number> => todo();
export const rolesShowCommand = (_l: string, _o: unknown, _d: CliDeps): Promise<number> => todo();
export const rolesAddCommand = (_l: string, _o: unknown, _d: CliDeps): Promise<number> => todo();
export const rolesRemoveCommand = (_l: string, _d: CliDeps): Promise<number> => todo();
