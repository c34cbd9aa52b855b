// The renderer's Content-Security-Policy. The renderer never talks to the network (keys live there;
// the network lives in main), so `connect-src` is 'none'. Injected as a <meta> tag at build time and
// also sent as a header by the shell.
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "media-src 'none'",
].join('; ');

/** In `npm run dev` only: Vite's dev server needs its inline preamble and a websocket. */
export function devRendererCsp(devServerOrigin: string): string {
  const ws = devServerOrigin.replace(/^http/, 'ws');
  return RENDERER_CSP.replace(
    "script-src 'self'",
    `script-src 'self' 'unsafe-inline' ${devServerOrigin}`,
  )
    .replace("style-src 'self'", `style-src 'self' 'unsafe-inline'`)
    .replace("connect-src 'none'", `connect-src ${devServerOrigin} ${ws}`);
}
