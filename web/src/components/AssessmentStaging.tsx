import { ajccSchemeLabel } from '../lib/clinicalLabels.js';
import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Assessment } from '../api/types.js';
import { humanize } from '../lib/format.js';

type Value = string | number | boolean | null | undefined;

interface SystemRows {
  system: string;
  /** Null when the system does not apply to this tumour. */
  rows: [label: string, value: Value, format?: 'code' | 'words'][] | null;
}

function systems(a: Assessment): SystemRows[] {
  const { enneking: en, ajcc, rms, ewing, osteosarcoma: os, nrsts } = a;
  return [
    { system: 'Enneking / MSTS', rows: en && [['Stage', en.stage], ...(en.substage ? [['Substage', en.substage] as [string, Value]] : [])] },
    {
      system: ajcc ? `AJCC 8 (${ajccSchemeLabel(ajcc.scheme)})` : 'AJCC 8',
      rows: ajcc && [['T', ajcc.T], ['N', ajcc.N], ['M', ajcc.M], ['Grade', ajcc.grade, 'words'], ['Stage group', ajcc.stageGroup]],
    },
    {
      system: 'Rhabdomyosarcoma (IRS / COG)',
      rows: rms && [
        ['Stage', rms.stage], ['Clinical group', rms.clinicalGroup], ['Site', rms.siteCategory, 'words'],
        ['COG risk (histology)', rms.cogRiskHistologyBased, 'words'], ['COG risk (fusion)', rms.cogRiskFusionBased, 'words'],
        ['ARST2032 category', rms.arst2032Category], ['Low-risk subset', rms.lowRiskSubset],
        ['Oberlin factors', rms.oberlinFactorCount === null ? null : `${rms.oberlinFactorCount} (${rms.oberlinCategory ?? '?'})`],
        ['EPSSG high risk', rms.epssgHighRisk],
      ],
    },
    { system: 'Ewing sarcoma', rows: ewing && [['Metastatic category', ewing.metastaticCategory, 'words']] },
    {
      system: 'Osteosarcoma',
      rows: os && [
        ['Metastatic category', os.metastaticCategory, 'words'], ['Huvos grade', os.huvosGrade],
        ['Response (necrosis ≥ 90%)', os.responseByNecrosis90, 'words'], ['EURAMOS response', os.euramosResponse, 'words'],
      ],
    },
    { system: 'NRSTS (ARST0332)', rows: nrsts && [['Risk group', nrsts.arst0332RiskGroup, 'words'], ['Arm', nrsts.arst0332Arm]] },
    { system: 'ICD-10-CM', rows: a.icd10cm === null ? null : [['Code', a.icd10cm]] },
  ];
}

function show(v: Value, format?: 'code' | 'words'): ReactNode {
  if (v === null || v === undefined) return <Text span size="sm" c="dimmed" fs="italic">Unknown</Text>;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (format === 'words') return humanize(String(v));
  return <Text span size="sm" fw={600}>{String(v)}</Text>;
}

/** Stage and risk per system in one compact table; systems that do not apply are named underneath. */
export function AssessmentStaging({ assessment }: { assessment: Assessment }) {
  const all = systems(assessment);
  const applicable = all.filter((s) => s.rows !== null && s.rows.length > 0);
  const notApplicable = all.filter((s) => s.rows === null).map((s) => s.system);
  return (
    <>
      {applicable.length === 0 ? <Text size="sm" c="dimmed">No staging system applies to these facts.</Text> : (
        <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm" aria-label="Stage and risk by system">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">System</Table.Th>
              <Table.Th scope="col">Measure</Table.Th>
              <Table.Th scope="col">Result</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {applicable.flatMap((s) => (s.rows ?? []).map(([label, value, format], i) => (
              <Table.Tr key={`${s.system}-${label}`}>
                {i === 0 ? (
                  <Table.Th scope="rowgroup" rowSpan={s.rows?.length ?? 1} style={{ verticalAlign: 'top', fontWeight: 600 }}>
                    {s.system}
                  </Table.Th>
                ) : null}
                <Table.Td>{label}</Table.Td>
                <Table.Td>{show(value, format)}</Table.Td>
              </Table.Tr>
            )))}
          </Table.Tbody>
        </Table>
      )}
      {notApplicable.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">Does not apply: {notApplicable.join(', ')}.</Text>
      ) : null}
    </>
  );
}
