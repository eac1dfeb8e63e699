import type { FieldName } from '../domain/application.ts';
import { fieldLabels, fieldMessage, text } from './strings.ts';

// The form's building blocks: each field with its label, hint and error tied together for screen readers.

export const errorId = (f: string) => `${f}-error`;
export const hintId = (f: string) => `${f}-hint`;

export function describedBy(field: string, hasHint: boolean, hasError: boolean): string | undefined {
  const ids = [hasHint ? hintId(field) : '', hasError ? errorId(field) : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function ErrorText({ field, code }: { field: string; code: string | undefined }) {
  if (!code) return null;
  return (
    <p class="error" id={errorId(field)}>
      {fieldMessage(field, code)}
    </p>
  );
}

interface TextFieldProps {
  name: FieldName;
  value: string | undefined;
  error: string | undefined;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'email' | 'tel' | 'text';
}

export function TextField({
  name,
  value,
  error,
  type = 'text',
  autocomplete,
  hint,
  required = true,
  maxLength,
}: TextFieldProps) {
  return (
    <div class="field">
      <label for={name}>
        {fieldLabels[name]}
        {required ? ' *' : ''}
      </label>
      {hint ? (
        <p class="hint" id={hintId(name)}>
          {hint}
        </p>
      ) : null}
      <ErrorText field={name} code={error} />
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
        aria-describedby={describedBy(name, Boolean(hint), Boolean(error))}
      />
    </div>
  );
}

export function SelectField(props: {
  name: 'sector' | 'region';
  choices: { id: string; he: string }[];
  value: string | undefined;
  error: string | undefined;
}) {
  const { name, choices, value, error } = props;
  return (
    <div class="field">
      <label for={name}>{`${fieldLabels[name]} *`}</label>
      <ErrorText field={name} code={error} />
      <select
        id={name}
        name={name}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, false, Boolean(error))}
      >
        <option value="">{text.choose}</option>
        {choices.map((c) => (
          <option value={c.id} selected={value === c.id}>
            {c.he}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxGroup(props: {
  name: 'topics' | 'confirmedMeetings';
  legend: string;
  hint: string;
  options: { id: string; label: string }[];
  checked: string[];
  error: string | undefined;
}) {
  const { name, legend, hint, options, checked, error } = props;
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
      <ErrorText field={name} code={error} />
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
