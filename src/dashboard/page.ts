// The dashboard's one HTML page: a shell that the embedded scripts fill (src/dashboard/web/). No inline script or
// style: the Content-Security-Policy allows only files from this server.
export const INDEX = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>runcode dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/uplot.css">
<link rel="stylesheet" href="/dashboard/assets/style.css">
<script type="module" src="/dashboard/assets/app.mjs"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div class="brand-line"><span class="brand">runcode</span> <span id="site-title">dashboard</span></div>
  <nav aria-label="Pages"><ul id="tabs"></ul></nav>
  <form id="signout" method="post" action="/dashboard/signout" hidden><button type="submit" class="ghost">Sign out</button></form>
</header>
<section class="filters" aria-label="Filters">
  <label>Time range <select id="f-range"></select></label>
  <label>Model <select id="f-model"></select></label>
  <label id="f-developer-wrap" hidden>Developer <select id="f-developer"></select></label>
  <span class="live" id="live" role="status" aria-live="polite"></span>
</section>
<main id="main" tabindex="-1"><p class="loading">Loading…</p></main>
<dialog id="detail" aria-labelledby="detail-title"></dialog>
<noscript><p class="empty">The dashboard needs JavaScript (served by runcode itself; nothing is loaded from elsewhere).</p></noscript>
</body>
</html>
`;
