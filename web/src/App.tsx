import { Button, Center, Loader, Stack } from '@mantine/core';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useMe } from './api/hooks.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { Layout } from './components/Layout.js';
import { AdminAuditPage } from './pages/AdminAuditPage.js';
import { AdminUsersPage } from './pages/AdminUsersPage.js';
import { AssessmentPage } from './pages/AssessmentPage.js';
import { CasePage } from './pages/CasePage.js';
import { CasesPage } from './pages/CasesPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { PatientFormPage } from './pages/PatientFormPage.js';
import { PatientPage } from './pages/PatientPage.js';
import { PatientsPage } from './pages/PatientsPage.js';
import { WelcomePage } from './pages/WelcomePage.js';
import { accessFor, homePath } from './lib/access.js';
import { AccountSecurityPage } from './pages/AccountSecurityPage.js';
import { ConferencePage } from './conference/ConferencePage.js';
import { ConferencesPage } from './conference/ConferencesPage.js';
import { DisciplineInputPage } from './conference/DisciplineInputPage.js';
import { LivePage } from './conference/LivePage.js';
import { ComparePage } from './plan/ComparePage.js';
import { PlanPage } from './plan/PlanPage.js';
import { MyReferralsPage } from './referrals/MyReferralsPage.js';
import { NewReferralPage } from './referrals/NewReferralPage.js';
import { PublicReferralPage } from './referrals/PublicReferralPage.js';
import { ReferralInboxPage } from './referrals/ReferralInboxPage.js';
import { ReferralPage } from './referrals/ReferralPage.js';
import { ReferralThanksPage } from './referrals/ReferralThanksPage.js';
import { TravelWorklistPage } from './referrals/TravelWorklistPage.js';
import { trialRoutes } from './trials/routes.js';
import { AnalyticsPage } from './analytics/AnalyticsPage.js';
import { ResearchPage } from './research/ResearchPage.js';
import { BulkExportPage as FhirBulkExportPage } from './fhir/BulkExportPage.js';
import { ImportPage as FhirImportPage } from './fhir/ImportPage.js';
import { BreakGlassPage } from './access/BreakGlassPage.js';
import { BreakGlassReviewPage } from './access/BreakGlassReviewPage.js';
import { SecondOpinionsPage } from './access/SecondOpinionsPage.js';
import { SharedWithUsPage } from './access/SharedWithUsPage.js';

/** Pages anyone may open without signing in (the public referral form). */
const isPublicPath = (path: string) => /^\/refer(\/thanks)?\/?$/.test(path);

export function App() {
  const me = useMe();
  const { pathname } = useLocation();
  if (isPublicPath(pathname)) {
    return (
      <Routes>
        <Route path="/refer" element={<PublicReferralPage />} />
        <Route path="/refer/thanks" element={<ReferralThanksPage />} />
      </Routes>
    );
  }
  if (me.isPending) {
    return (
      <Center h="100vh" role="status" aria-label="Loading TumorBoard">
        <Loader />
      </Center>
    );
  }
  if (me.error) {
    return (
      <Center h="100vh" p="md">
        <main style={{ maxWidth: 480 }}>
          <Stack>
            <ErrorAlert error={me.error} title="TumorBoard is not reachable" />
            <Button variant="default" onClick={() => void me.refetch()} loading={me.isFetching}>Try again</Button>
          </Stack>
        </main>
      </Center>
    );
  }
  const user = me.data;
  if (!user) return <LoginPage />;
  // A role that requires two-step sign-in, signed in without it: only its set-up is open (the server enforces it too).
  if (user.mfaPending) {
    return (
      <Layout user={{ ...user, permissions: [] }}>
        <AccountSecurityPage forced />
      </Layout>
    );
  }

  const access = accessFor(user.permissions);
  const { registry, admin } = access;
  const home = homePath(access);
  const writer = registry && access.write;
  return (
    <Layout user={user}>
      <Routes>
        <Route path="/" element={<Navigate to={home} replace />} />
        <Route path="/login" element={<Navigate to={home} replace />} />
        {/* Identified records are not for researchers or referrers: their links lead home instead of to a 403. */}
        <Route path="/patients" element={registry ? <PatientsPage /> : <Navigate to={home} replace />} />
        <Route path="/patients/new" element={writer ? <PatientFormPage /> : <Navigate to={home} replace />} />
        <Route path="/patients/:id" element={registry ? <PatientPage /> : <Navigate to={home} replace />} />
        <Route path="/patients/:id/edit" element={writer ? <PatientFormPage /> : <Navigate to={home} replace />} />
        <Route path="/cases" element={registry ? <CasesPage /> : <Navigate to={home} replace />} />
        <Route path="/cases/:id" element={registry ? <CasePage /> : <Navigate to={home} replace />} />
        <Route path="/cases/:id/plan" element={user.permissions.includes('plan.read') ? <PlanPage /> : <Navigate to={home} replace />} />
        <Route path="/cases/:id/plan/compare" element={user.permissions.includes('plan.read') ? <ComparePage /> : <Navigate to={home} replace />} />
        <Route path="/referrals" element={access.referrals ? <ReferralInboxPage /> : <Navigate to={home} replace />} />
        <Route path="/referrals/new" element={access.referralWrite ? <NewReferralPage /> : <Navigate to={home} replace />} />
        <Route path="/referrals/:id" element={access.referrals || access.travel ? <ReferralPage /> : <Navigate to={home} replace />} />
        <Route path="/travel" element={access.travel ? <TravelWorklistPage /> : <Navigate to={home} replace />} />
        <Route path="/my-referrals" element={access.ownReferrals ? <MyReferralsPage /> : <Navigate to={home} replace />} />
        <Route path="/conferences" element={access.conference ? <ConferencesPage /> : <Navigate to={home} replace />} />
        <Route path="/conferences/:id" element={access.conference ? <ConferencePage /> : <Navigate to={home} replace />} />
        <Route path="/conferences/:id/live" element={access.conference ? <LivePage /> : <Navigate to={home} replace />} />
        <Route path="/conferences/:id/cases/:caseId/input" element={access.conference ? <DisciplineInputPage /> : <Navigate to={home} replace />} />
        <Route path="/assessment" element={access.assess ? <AssessmentPage /> : <Navigate to={home} replace />} />
        <Route path="/research" element={access.research ? <ResearchPage /> : <Navigate to={home} replace />} />
        <Route path="/welcome" element={<WelcomePage />} />
        <Route path="/account/security" element={<AccountSecurityPage />} />
        <Route path="/analytics" element={access.analytics ? <AnalyticsPage /> : <Navigate to={home} replace />} />
        <Route path="/fhir/import" element={writer ? <FhirImportPage /> : <Navigate to={home} replace />} />
        <Route path="/fhir/export" element={access.fhirBulk ? <FhirBulkExportPage /> : <Navigate to={home} replace />} />
        {admin ? <Route path="/admin/users" element={<AdminUsersPage />} /> : null}
        {admin ? <Route path="/admin/audit" element={<AdminAuditPage />} /> : null}
        <Route path="/shared" element={registry ? <SharedWithUsPage /> : <Navigate to={home} replace />} />
        <Route path="/second-opinions" element={registry && access.share ? <SecondOpinionsPage /> : <Navigate to={home} replace />} />
        <Route path="/break-glass" element={access.breakGlass ? <BreakGlassPage /> : <Navigate to={home} replace />} />
        <Route path="/admin/break-glass" element={access.breakGlassReview ? <BreakGlassReviewPage /> : <Navigate to={home} replace />} />
        {/* trials routes */}
        {trialRoutes(user.permissions, home)}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}
