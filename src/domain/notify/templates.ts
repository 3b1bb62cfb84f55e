import { TEMPLATE_LANGUAGES, type ReferralStatus, type TemplateLanguage, type Urgency } from '../referrals/types.js';
import { foldForSearch } from '../text.js';

/**
 * Email notification templates (issue 4, referrals; second opinions): plain text only, English and Spanish. Pure: no
 * clock, no I/O.
 *
 * Privacy rule (R-NOTIFY-PRIVACY): an email names the patient by initials and the referral (or case) reference only,
 * never by full name or date of birth, and carries no diagnosis or clinical text. Email leaves our systems
 * unencrypted and is forwarded freely; the reference is what staff look up. The data types carry no name, birth-date
 * or free-text clinical field, and `patientInitials` is reduced to initials whatever a caller passes.
 *
 * Data values are inserted verbatim (never interpreted: no placeholder expansion inside values, no HTML, no
 * `$&`-style replacement patterns); only line breaks are folded to spaces where a value lands in the subject line.
 */

export const NOTIFICATION_TEMPLATES = [
  'referral_received', 'referral_status_changed', 'referral_assigned', 'second_opinion_requested', 'second_opinion_commented',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** One of the program's phone numbers, e.g. `{ label: 'Referral line', number: '+1 555 0100' }`. */
export interface ContactNumber {
  label: string;
  number: string;
}

interface CommonData {
  /** Human reference, e.g. REF-2026-4F7K2Q. */
  reference: string;
  /** Initials only, e.g. "A.T."; anything longer is reduced to initials. */
  patientInitials: string;
  contacts: readonly ContactNumber[];
  /** Greeting name of the recipient (a referrer or staff member, never the patient). */
  recipientName?: string | undefined;
}

/**
 * What a second-opinion email may say (R-NOTIFY-PRIVACY). There is deliberately no field for the share's purpose nor
 * for a message's text: both are free text written by clinicians and may carry names or clinical detail, so the email
 * only says that something happened and points to TumorBoard, where reading it is access-checked and audited.
 */
interface SecondOpinionCommon extends CommonData {
  /** The case's short reference, `caseReference(caseId)`, e.g. "CASE 3F9A12BC". */
  reference: string;
}

export interface NotificationData {
  /** To the referrer, right after submission. */
  referral_received: CommonData;
  /** To the referrer, and to the assigned coordinator (`audience: 'coordinator'`). */
  referral_status_changed: CommonData & {
    status: ReferralStatus;
    /** Why a referral was declined or redirected; shown only for those statuses. */
    reason?: string | null | undefined;
    audience?: 'referrer' | 'coordinator' | undefined;
  };
  /** To the coordinator the referral was assigned to. */
  referral_assigned: CommonData & {
    urgency?: Urgency | undefined;
    status?: ReferralStatus | undefined;
    /** Display name of who assigned it. */
    assignedBy?: string | undefined;
  };
  /** To the receiving institution's active coordinators and clinicians, when a case is shared with it. */
  second_opinion_requested: SecondOpinionCommon & {
    /** The institution that shared the case. */
    ownerInstitution: string;
    /** The institution the case was shared with (the recipient's). */
    recipientInstitution: string;
    /** The share's last day, YYYY-MM-DD (UTC). */
    until: string;
  };
  /**
   * To the sharer when a reviewer writes on the thread, and to the thread's earlier reviewer authors when the owner
   * institution replies.
   */
  second_opinion_commented: SecondOpinionCommon & {
    /** The institution of the person who wrote. */
    fromInstitution: string;
  };
}

export interface RenderedNotification {
  subject: string;
  body: string;
  language: TemplateLanguage;
}

type Part<D> = (d: D, p: LanguagePack) => string;
type Lines<D> = (d: D, p: LanguagePack) => readonly (string | null)[];

interface LanguagePack {
  /** Status in plain words, for people outside the program. */
  readonly statusLabels: Readonly<Record<ReferralStatus, string>>;
  /** What the status means for the referrer: one sentence. */
  readonly statusNext: Readonly<Record<ReferralStatus, string>>;
  readonly urgency: Readonly<Record<Urgency, string>>;
  readonly greeting: (name: string | undefined) => string;
  readonly contactsHeading: string;
  readonly quoteReference: (reference: string) => string;
  readonly emergency: string;
  readonly footer: string;
  readonly templates: { readonly [K in NotificationTemplate]: { readonly subject: Part<NotificationData[K]>; readonly body: Lines<NotificationData[K]> } };
}

const en = {
  statusLabels: {
    received: 'received',
    triaged: 'reviewed by our team',
    records_requested: 'medical records requested',
    records_complete: 'records complete',
    scheduled: 'scheduled for tumor board review',
    presented: 'reviewed at the tumor board',
    declined: 'not accepted',
    redirected: 'redirected to another service',
  },
  statusNext: {
    received: 'A coordinator will review the referral and contact you.',
    triaged: 'Our team has reviewed the referral and will tell you what we need next.',
    records_requested: 'Please send the medical records, imaging and pathology we asked for; the review starts when they arrive.',
    records_complete: 'We have everything we need; the next step is scheduling the case for our tumor board.',
    scheduled: 'The case is on the agenda of our multidisciplinary tumor board; we will contact you with the recommendation.',
    presented: 'The tumor board has discussed the case; a physician will contact you about the recommendation.',
    declined: 'We are unable to accept this referral. Please call us if you have questions.',
    redirected: 'The referral has been passed to a service better suited to it; they or we will contact you.',
  },
  urgency: { routine: 'routine', urgent: 'URGENT' },
  greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
  contactsHeading: 'To reach the program:',
  quoteReference: (ref) => `Please quote the reference ${ref} whenever you contact us.`,
  emergency: 'If the patient needs urgent care, do not wait for us: call your local emergency services.',
  footer: 'This message was sent automatically; replies to it are not read. For privacy it names the patient by initials only.',
  templates: {
    referral_received: {
      subject: (d) => `Referral ${d.reference} received`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `We received your referral ${d.reference} for ${sentence(d.patientInitials)} Thank you for referring to our program.`, '',
        'What happens next:',
        '- A coordinator reviews the referral and may contact you with questions.',
        '- We may ask you for medical records, imaging and pathology.',
        '- When the records are complete, the case is scheduled for our multidisciplinary tumor board, and we tell you the recommendation.',
        '',
        p.quoteReference(d.reference), p.emergency,
      ],
    },
    referral_status_changed: {
      subject: (d, p) => `Referral ${d.reference}: ${p.statusLabels[d.status]}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `The status of referral ${d.reference} for ${d.patientInitials} is now: ${p.statusLabels[d.status]}.`,
        reasonLine(d, 'Reason'), '',
        d.audience === 'coordinator' ? null : p.statusNext[d.status], '',
        d.audience === 'coordinator' ? null : p.quoteReference(d.reference),
      ],
    },
    referral_assigned: {
      subject: (d) => `Referral ${d.reference} assigned to you`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        sentence(`Referral ${d.reference} for ${d.patientInitials} has been assigned to you${d.assignedBy ? ` by ${d.assignedBy}` : ''}`),
        d.urgency ? `Urgency: ${p.urgency[d.urgency]}` : null,
        d.status ? `Status: ${p.statusLabels[d.status]}` : null, '',
        'Open the referral in TumorBoard to review it.',
      ],
    },
    second_opinion_requested: {
      subject: (d) => `Second opinion requested: ${d.reference}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `${d.ownerInstitution} has shared a case (patient ${d.patientInitials}) with ${d.recipientInstitution} for a second opinion until ${d.until}.`,
        `Case reference: ${d.reference}.`, '',
        'Open TumorBoard, Shared with us, to read it. For privacy, this email leaves out the reason for the request and any clinical details.',
      ],
    },
    second_opinion_commented: {
      subject: (d) => `New message on the second opinion for ${d.reference}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `${d.fromInstitution} wrote on the second opinion for ${d.reference} (patient ${d.patientInitials}).`, '',
        'Open the case in TumorBoard to read it. For privacy, this email does not include the message.',
      ],
    },
  },
} as const satisfies LanguagePack;

const es = {
  statusLabels: {
    received: 'recibida',
    triaged: 'revisada por nuestro equipo',
    records_requested: 'registros médicos solicitados',
    records_complete: 'registros completos',
    scheduled: 'programada para el comité de tumores',
    presented: 'revisada en el comité de tumores',
    declined: 'no aceptada',
    redirected: 'derivada a otro servicio',
  },
  statusNext: {
    received: 'Un coordinador revisará la derivación y se comunicará con usted.',
    triaged: 'Nuestro equipo revisó la derivación y le informará qué necesitamos a continuación.',
    records_requested: 'Envíe los registros médicos, las imágenes y la patología que le pedimos; la revisión comienza cuando lleguen.',
    records_complete: 'Tenemos todo lo necesario; el siguiente paso es programar el caso en nuestro comité de tumores.',
    scheduled: 'El caso está en la agenda de nuestro comité multidisciplinario de tumores; le comunicaremos la recomendación.',
    presented: 'El comité de tumores discutió el caso; un médico se comunicará con usted sobre la recomendación.',
    declined: 'No podemos aceptar esta derivación. Llámenos si tiene preguntas.',
    redirected: 'La derivación se envió a un servicio más adecuado; ellos o nosotros nos comunicaremos con usted.',
  },
  urgency: { routine: 'rutina', urgent: 'URGENTE' },
  greeting: (name) => (name ? `Estimado/a ${name}:` : 'Hola:'),
  contactsHeading: 'Para comunicarse con el programa:',
  quoteReference: (ref) => `Indique la referencia ${ref} siempre que se comunique con nosotros.`,
  emergency: 'Si el paciente necesita atención urgente, no espere nuestra respuesta: llame a los servicios de emergencia locales.',
  footer: 'Este mensaje se envió automáticamente; las respuestas no se leen. Por privacidad, nombra al paciente solo por sus iniciales.',
  templates: {
    referral_received: {
      subject: (d) => `Derivación ${d.reference} recibida`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `Recibimos su derivación ${d.reference} para ${sentence(d.patientInitials)} Gracias por derivar a nuestro programa.`, '',
        'Próximos pasos:',
        '- Un coordinador revisa la derivación y puede comunicarse con usted si tiene preguntas.',
        '- Es posible que le pidamos registros médicos, imágenes y patología.',
        '- Cuando los registros estén completos, el caso se programa en nuestro comité multidisciplinario de tumores y le comunicamos la recomendación.',
        '',
        p.quoteReference(d.reference), p.emergency,
      ],
    },
    referral_status_changed: {
      subject: (d, p) => `Derivación ${d.reference}: ${p.statusLabels[d.status]}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `El estado de la derivación ${d.reference} para ${d.patientInitials} es ahora: ${p.statusLabels[d.status]}.`,
        reasonLine(d, 'Motivo'), '',
        d.audience === 'coordinator' ? null : p.statusNext[d.status], '',
        d.audience === 'coordinator' ? null : p.quoteReference(d.reference),
      ],
    },
    referral_assigned: {
      subject: (d) => `Derivación ${d.reference} asignada a usted`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        sentence(`La derivación ${d.reference} para ${d.patientInitials} le fue asignada${d.assignedBy ? ` por ${d.assignedBy}` : ''}`),
        d.urgency ? `Urgencia: ${p.urgency[d.urgency]}` : null,
        d.status ? `Estado: ${p.statusLabels[d.status]}` : null, '',
        'Abra la derivación en TumorBoard para revisarla.',
      ],
    },
    second_opinion_requested: {
      subject: (d) => `Solicitud de segunda opinión: ${d.reference}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `${d.ownerInstitution} ha compartido un caso (paciente ${d.patientInitials}) con ${d.recipientInstitution} para una segunda opinión hasta el ${d.until}.`,
        `Referencia del caso: ${d.reference}.`, '',
        'Abra TumorBoard, en la sección «Shared with us» (compartidos con nosotros), para leerlo. Por privacidad, este correo no incluye el motivo de la solicitud ni datos clínicos.',
      ],
    },
    second_opinion_commented: {
      subject: (d) => `Nuevo mensaje en la segunda opinión de ${d.reference}`,
      body: (d, p) => [
        p.greeting(d.recipientName), '',
        `${d.fromInstitution} escribió un mensaje en la segunda opinión del caso con referencia ${d.reference} (paciente ${d.patientInitials}).`, '',
        'Abra el caso en TumorBoard para leerlo. Por privacidad, este correo no incluye el mensaje.',
      ],
    },
  },
} as const satisfies LanguagePack;

/** Every template in every language (R-NOTIFY-LANG): a missing status label or template fails to compile. */
export const LANGUAGE_PACKS = { en, es } as const satisfies Record<TemplateLanguage, LanguagePack>;

/** Plain-words status labels per language. */
export const STATUS_LABELS: { readonly [L in TemplateLanguage]: Readonly<Record<ReferralStatus, string>> } = {
  en: en.statusLabels, es: es.statusLabels,
};

export { caseReference } from '../registry/case-reference.js';

/** Ends a sentence without doubling the period of trailing initials ("A.T." not "A.T.."). */
function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function reasonLine(d: NotificationData['referral_status_changed'], label: string): string | null {
  const reason = d.reason?.trim();
  return (d.status === 'declined' || d.status === 'redirected') && reason ? `${label}: ${reason}` : null;
}

const SPANISH = /^(es|spa|spanish|espanol|castellano)\b/;

/**
 * The template language for a preferred language written as a name or a code ("Spanish", "Español", "es",
 * "es-MX", "spa"); English for anything without a template (R-NOTIFY-LANG).
 */
export function languageFor(preferredLanguage: string): TemplateLanguage {
  const s = foldForSearch(preferredLanguage).replace(/_/g, '-');
  if (SPANISH.test(s)) return 'es';
  return 'en';
}

const ENGLISH = /^(en|eng|english|ingles)\b/;

/** True when the preferred language is English (or unstated) or has its own template: no fallback notice needed. */
function hasTemplate(preferredLanguage: string): boolean {
  const s = foldForSearch(preferredLanguage).replace(/_/g, '-');
  return s === '' || ENGLISH.test(s) || languageFor(preferredLanguage) !== 'en';
}

/** Initials of a name or of already-abbreviated initials: "Alex Testperson" → "A.T.", "a.t." → "A.T.". */
export function initialsOf(...names: string[]): string {
  const parts = names.join(' ').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return parts.slice(0, 4).map((w) => `${[...w][0]!.toLocaleUpperCase()}.`).join('');
}

/** Header-safe: a value in the subject line keeps its text but not its line breaks or control characters. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Renders a notification (R-NOTIFY-PRIVACY, R-NOTIFY-LANG). `language` may be a code or a name; a language without
 * a template is rendered in English, with a first line saying so. Plain text; data values verbatim.
 */
export function renderNotification<T extends NotificationTemplate>(template: T, language: string, data: NotificationData[T]): RenderedNotification {
  const lang = languageFor(language);
  const pack: LanguagePack = LANGUAGE_PACKS[lang];
  const d = { ...data, patientInitials: initialsOf(data.patientInitials) || '?' } as NotificationData[T];
  const t = pack.templates[template] as { subject: Part<NotificationData[T]>; body: Lines<NotificationData[T]> };
  const lines: string[] = [];
  if (!hasTemplate(language)) {
    lines.push(`This message is in English because it is not yet available in your preferred language (${oneLine(language)}).`, '');
  }
  lines.push(...t.body(d, pack).filter((l): l is string => l !== null));
  if (d.contacts.length > 0) {
    lines.push('', pack.contactsHeading, ...d.contacts.map((c) => `- ${c.label}: ${c.number}`));
  }
  lines.push('', '-- ', pack.footer);
  // Drop the blank line a skipped optional line leaves doubled (line by line: a value's own line breaks stay as given).
  const body = lines.filter((l, i) => l !== '' || (i > 0 && lines[i - 1] !== '')).join('\n');
  return { subject: oneLine(t.subject(d, pack)), body: `${body}\n`, language: lang };
}

/** For tests and admin screens: every (template, language) pair. */
export const TEMPLATE_MATRIX: ReadonlyArray<readonly [NotificationTemplate, TemplateLanguage]> =
  NOTIFICATION_TEMPLATES.flatMap((t) => TEMPLATE_LANGUAGES.map((l) => [t, l] as const));
