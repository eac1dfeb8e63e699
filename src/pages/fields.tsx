import type { Child } from 'hono/jsx';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import type { FieldName } from '../domain/application.ts';
import {
  catalogues,
  ERROR_EXAMPLES,
  fieldLabel,
  fieldMessage,
  type Lang,
  meetingWhen,
} from './i18n/index.ts';

// The form's building blocks: each field with its label, hint and error tied together for screen readers.

export const errorId = (f: string) => `${f}-error`;
export const hintId = (f: string) => `${f}-hint`;

/** The ids an input's aria-describedby names: its hint and its error, when present. */
export function describedBy(field: string, hasHint: boolean, hasError: boolean): string | undefined {
  const ids = [hasHint ? hintId(field) : '', hasError ? errorId(field) : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Left-to-right text (a phone, an address, a time) inside right-to-left prose, isolated so it keeps its order. */
export const Ltr = ({ children }: { children: string }) => <span dir="ltr">{children}</span>;

/** An error's message in the language, with a well-formed example when the code has one. */
export function ErrorMessage({ lang, field, code }: { lang: Lang; field: string; code: string }) {
  const example = ERROR_EXAMPLES[code];
  return (
    <>
      {fieldMessage(lang, field, code)}
      {example ? (
        <>
          {` ${catalogues[lang].example} `}
          <Ltr>{example}</Ltr>
        </>
      ) : null}
    </>
  );
}

/** A field's error under its label. */
export function ErrorText({ lang, field, code }: { lang: Lang; field: string; code: string | undefined }) {
  if (!code) return null;
  return (
    <p class="error" id={errorId(field)}>
      <ErrorMessage lang={lang} field={field} code={code} />
    </p>
  );
}

/** "יום חמישי, 11 במרץ 2027, 09:00–16:00" with the time range isolated left-to-right. */
export function MeetingWhen({ lang, cohort, meeting }: { lang: Lang; cohort: Cohort; meeting: Meeting }) {
  const w = meetingWhen(lang, cohort, meeting);
  return (
    <>
      {`${w.day}${lang === 'ar' ? '، ' : ', '}`}
      <Ltr>{`${w.start}–${w.end}`}</Ltr>
    </>
  );
}

interface TextFieldProps {
  lang: Lang;
  name: FieldName;
  value: string | undefined;
  error: string | undefined;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  /** A left-to-right example shown as the hint, e.g. a phone number. */
  example?: string;
  required?: boolean;
  maxLength?: number;
}

/** A one-line input with its label, optional example and error. */
export function TextField({
  lang,
  name,
  value,
  error,
  type = 'text',
  autocomplete,
  example,
  required = true,
  maxLength,
}: TextFieldProps) {
  return (
    <div class="field">
      <label for={name}>
        {fieldLabel(lang, name)}
        {required ? ' *' : ''}
      </label>
      {example ? (
        <p class="hint" id={hintId(name)}>
          {`${catalogues[lang].example} `}
          <Ltr>{example}</Ltr>
        </p>
      ) : null}
      <ErrorText lang={lang} field={name} code={error} />
      <input
        id={name}
        name={name}
        type={type}
        value={value ?? ''}
        autocomplete={autocomplete}
        required={required}
        maxlength={maxLength}
        dir={type === 'text' ? 'auto' : 'ltr'}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, Boolean(example), Boolean(error))}
      />
    </div>
  );
}

/** A required choice from the cohort's list, in the language. */
export function SelectField(props: {
  lang: Lang;
  name: 'sector' | 'region';
  choices: { id: string; label: string }[];
  value: string | undefined;
  error: string | undefined;
}) {
  const { lang, name, choices, value, error } = props;
  return (
    <div class="field">
      <label for={name}>{`${fieldLabel(lang, name)} *`}</label>
      <ErrorText lang={lang} field={name} code={error} />
      <select
        id={name}
        name={name}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, false, Boolean(error))}
      >
        <option value="">{catalogues[lang].choose}</option>
        {choices.map((c) => (
          <option value={c.id} selected={value === c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A group of checkboxes under one legend. */
export function CheckboxGroup(props: {
  lang: Lang;
  name: 'topics' | 'confirmedMeetings';
  legend: string;
  hint: string;
  options: { id: string; label: Child }[];
  checked: string[];
  error: string | undefined;
}) {
  const { lang, name, legend, hint, options, checked, error } = props;
  return (
    <fieldset
      id={name}
      tabindex={-1}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={describedBy(name, true, Boolean(error))}
    >
      <legend>{legend}</legend>
      <p class="hint" id={hintId(name)}>
        {hint}
      </p>
      <ErrorText lang={lang} field={name} code={error} />
      {options.map((o) => (
        <div class="choice">
          <input
            type="checkbox"
            id={`${name}-${o.id}`}
            name={name}
            value={o.id}
            checked={checked.includes(o.id)}
          />
          <label for={`${name}-${o.id}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/**
 * The list of a form's errors above it, each a link to its field; focused on arrival, so a screen reader
 * reads it first. The heading (its level differs by page) is the child, with the id `titleId`.
 */
export function ErrorSummary(props: {
  lang: Lang;
  fields: string[];
  errors: Partial<Record<string, string>>;
  titleId: string;
  children: Child;
}) {
  const { lang, fields, errors, titleId, children } = props;
  if (fields.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby={titleId} tabindex={-1} autofocus>
      {children}
      <ul>
        {fields.map((f) => (
          <li>
            <a href={`#${f}`}>
              {`${fieldLabel(lang, f)}: `}
              <ErrorMessage lang={lang} field={f} code={errors[f] ?? 'invalid_type'} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
