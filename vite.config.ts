// Vite serves the page and the vCPU worker. Every server it runs (dev, preview) sends the
// cross-origin isolation headers SharedArrayBuffer needs. Guest images are served as the bytes
// on disk: a missing one is a real 404 (not the page), and a .gz image (the initrd) is not given
// "Content-Encoding: gzip", which would make the browser unpack it before the guest sees it.
import { defineConfig } from "vitest/config";
import type { Connect, Plugin } from "vite";

const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Guest images (public/guests/…) go out exactly as stored. */
const rawGuestImages: Connect.NextHandleFunction = (req, res, next) => {
  if (req.url?.startsWith("/guests/")) {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) =>
      name.toLowerCase() === "content-encoding" ? res : setHeader(name, value)) as typeof res.setHeader;
  }
  next();
};

function guestImages(): Plugin {
  return {
    name: "tabvisor-guest-images",
    configureServer(server) {
      server.middlewares.use(rawGuestImages);
    },
    configurePreviewServer(server) {
      server.middlewares.use(rawGuestImages);
    },
  };
}

export default defineConfig({
  appType: "mpa",
  plugins: [guestImages()],
  server: { headers: isolation, port: 5173, strictPort: true },
  preview: { headers: isolation, port: 4173, strictPort: true },
  worker: { format: "es" },
  build: {
    target: "es2022",
    rollupOptions: { input: { main: "index.html", bench: "bench.html" } },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
