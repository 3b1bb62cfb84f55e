import { Button } from '@mantine/core';

/**
 * "Export FHIR": downloads the patient's record as a FHIR R4 Bundle with mCODE profiles (`$everything`, issue #8).
 * A plain link: the browser sends the session cookie and saves the answer; the server audits the export. The file
 * is named by the FHIR id, not by the MRN or the name (it may end up in a shared downloads folder).
 */
export function ExportFhirButton({ patientId }: { patientId: string }) {
  const fhirId = `pt-${patientId}`;
  return (
    <Button component="a" variant="default" href={`/fhir/R4/Patient/${encodeURIComponent(fhirId)}/$everything`} download={`${fhirId}.fhir.json`}
      data-testid="export-fhir">
      Export FHIR
    </Button>
  );
}
