// Runs before the page is drawn, so a light device never sees the dark theme flash first.
// It mirrors src/lib/theme.ts: a stored choice wins, else the device's setting (dark-first).
(function () {
  var theme;
  try {
    theme = localStorage.getItem('kyros.theme');
  } catch (error) {
    theme = null;
  }
  if (theme !== 'light' && theme !== 'dark') {
    var light = window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches;
    theme = light ? 'light' : 'dark';
  }
  document.documentElement.classList.toggle('dark', theme === 'dark');
})();
