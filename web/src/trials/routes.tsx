import { Navigate, Route } from 'react-router';
import { CaseTrialsPage } from './CaseTrialsPage.js';
import { NewLocalTrialPage } from './NewLocalTrialPage.js';
import { TrialPage } from './TrialPage.js';
import { TrialsPage } from './TrialsPage.js';

export { CaseTrialsPage } from './CaseTrialsPage.js';
export { TrialMatchesPanel } from './TrialMatchesPanel.js';
export { TrialPage } from './TrialPage.js';
export { TrialsPage } from './TrialsPage.js';

/**
 * The clinical-trial routes, to place inside App's <Routes> as `{trialRoutes(user.permissions, home)}` (React Router
 * reads the fragment's <Route> children). Without trial.read every link leads home, as elsewhere in App:
 * - /trials: the registry, import (curators) and the offer figures;
 * - /trials/new: a local institutional trial entered by hand (curators);
 * - /trials/:id: one trial (its id or its NCT number): registry facts, text and the curation screen;
 * - /trials/case/:caseId: one case's matches and screening log, full page.
 */
export function trialRoutes(permissions: readonly string[], home: string) {
  const allowed = permissions.includes('trial.read');
  const guard = (el: React.ReactElement) => (allowed ? el : <Navigate to={home} replace />);
  return (
    <>
      <Route path="/trials" element={guard(<TrialsPage />)} />
      <Route path="/trials/case/:caseId" element={guard(<CaseTrialsPage />)} />
      <Route path="/trials/new" element={guard(permissions.includes('trial.curate') ? <NewLocalTrialPage /> : <Navigate to="/trials" replace />)} />
      <Route path="/trials/:id" element={guard(<TrialPage />)} />
    </>
  );
}
