/** The Chromium flags used everywhere in this repo (Playwright adds headless mode itself). */
export declare const CHROMIUM_FLAGS: string[];
/** The path of a Chromium binary: `MP_CHROMIUM`, `/usr/bin/chromium`, or the one inside `@sparticuz/chromium`. */
export declare function chromiumPath(): Promise<string>;
/** Playwright launch options with that binary and this repo's flags. */
export declare function chromiumLaunchOptions(): Promise<{ executablePath: string; args: string[] }>;
