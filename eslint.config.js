// ESLint (flat config) for the browser JavaScript of plangraph: the report and map pages
// (src/plangraph/report/assets/) and the query page (src/plangraph/serve/static/).
// One dialect for both: classic scripts (no modules, no bundler), each file one IIFE in strict
// mode, ES2020, const/let, arrow callbacks, strict equality; nothing that a Content Security
// Policy without 'unsafe-eval' would refuse, and no HTML built from strings.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: [".venv/**", "build/**", "node_modules/**"] },
  {
    files: ["src/plangraph/report/assets/**/*.js", "src/plangraph/serve/static/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      ...js.configs.recommended.rules,
      strict: ["error", "function"],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      eqeqeq: ["error", "always"],
      curly: ["error", "multi-line"],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "build nodes with createElement/textContent" },
        { property: "outerHTML", message: "build nodes with createElement/textContent" },
        { object: "document", property: "write", message: "build nodes with createElement" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression > MemberExpression.left[property.name=/^on[a-z]+$/]",
          message: "use addEventListener, not on* handler properties",
        },
      ],
    },
  },
];
