// Constants that Forge's Vite plugin defines at build time for the renderer named `main_window`.
/** The Vite dev server of the renderer during `electron-forge start`; undefined in a packaged build. */
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
/** The renderer's name; its built files are in `.vite/renderer/<name>/`. */
declare const MAIN_WINDOW_VITE_NAME: string;
