/* The search pages without an "Apply" click: a language box ticked or an order chosen
 * searches again at once. Loaded as a file (the pages' CSP allows no inline script);
 * without it, the "Apply" button does the same. */
(() => {
  'use strict';
  document.addEventListener('change', (event) => {
    const field = event.target.closest('[data-auto-submit]');
    const form = field && field.form;
    if (form) form.requestSubmit();
  });
})();
