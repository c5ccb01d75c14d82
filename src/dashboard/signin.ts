// The sign-in page a site with an admin token shows before the dashboard: a plain form (no script), posted to
// /dashboard/signin; the answer sets the session cookie (src/dashboard/http.ts). `next` keeps the filters of the
// link that was opened.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function signInPage(title: string, error?: string, next = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · runcode ${escape(title)} dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/style.css">
</head>
<body class="signin">
<main class="signin-box">
  <h1><span class="brand">runcode</span> ${escape(title)} dashboard</h1>
  <form method="post" action="/dashboard/signin">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required spellcheck="false"
      placeholder="rca_…" ${error ? 'aria-invalid="true" aria-describedby="signin-error"' : ""} autofocus>
    <input type="hidden" name="next" value="${escape(next)}">
    ${error ? `<p id="signin-error" class="error" role="alert">${escape(error)}</p>` : ""}
    <button type="submit">Sign in</button>
  </form>
  <p class="hint">The admin token was printed once by <code>runcode team init</code>; <code>runcode team init --new-admin-token</code> replaces it.</p>
</main>
</body>
</html>
`;
}
