// The page and everything it loads, embedded in the binary as text (Bun's `with { type: "text" }`): no CDN, no
// file on disk, nothing from outside. Only the dashboard's handler imports this module, and it is loaded lazily, so
// `runcode --version` and `ask` never parse these strings.
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import uplot from "uplot/dist/uPlot.esm.js" with { type: "text" };
import app from "./web/app.mjs" with { type: "text" };
import charts from "./web/charts.mjs" with { type: "text" };
import format from "./web/format.mjs" with { type: "text" };
import { INDEX } from "./page";
import style from "./web/style.css" with { type: "text" };
import views from "./web/views.mjs" with { type: "text" };

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

export const ASSETS: Record<string, { body: string; type: string }> = {
  "index.html": { body: INDEX, type: "text/html; charset=utf-8" },
  "app.mjs": { body: app, type: JS },
  "charts.mjs": { body: charts, type: JS },
  "format.mjs": { body: format, type: JS },
  "views.mjs": { body: views, type: JS },
  "style.css": { body: style, type: CSS },
  "uplot.js": { body: uplot, type: JS },
  "uplot.css": { body: uplotCss, type: CSS },
};
