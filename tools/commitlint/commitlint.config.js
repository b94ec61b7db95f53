// Conventional Commits: `type(scope): subject`, e.g. `feat(schedules): …`, `docs: …`.
export default {
  extends: ['@commitlint/config-conventional'],
  rules: {
    // Subjects here list what a change contains, so they run long; they stay on one line.
    'header-max-length': [2, 'always', 250],
    // Subjects often open with a name (API, URL, React, X), which the case rule would refuse.
    'subject-case': [0],
  },
};
