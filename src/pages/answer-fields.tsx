import type { Cohort } from '../../workflows/index.ts';
import {
  CheckboxGroup,
  describedBy,
  ErrorText,
  hintId,
  MeetingWhen,
  SelectField,
  TextField,
} from './fields.tsx';
import { catalogues, fieldLabel, formatNumber, type Lang } from './i18n/index.ts';

/** The answers about the person and their reasons, as they were typed (or are stored). */
export interface AnswerValues {
  phone?: string | undefined;
  organisation?: string | undefined;
  roleTitle?: string | undefined;
  sector?: string | undefined;
  region?: string | undefined;
  motivation?: string | undefined;
  topics?: string[] | undefined;
  confirmedMeetings?: string[] | undefined;
  accessibilityNeeds?: string | undefined;
}

/**
 * The application's answers from the phone number to the accessibility needs: the form and the applicant's
 * correction of it ask them alike, with the same hints, limits and error wiring.
 */
export function AnswerFields({
  lang,
  cohort,
  values,
  errors,
}: {
  lang: Lang;
  cohort: Cohort;
  values: AnswerValues;
  errors: Partial<Record<string, string>>;
}) {
  const t = catalogues[lang];
  return (
    <>
      <TextField
        lang={lang}
        name="phone"
        type="tel"
        value={values.phone}
        error={errors.phone}
        autocomplete="tel"
        example="050-7234567"
        maxLength={32}
      />
      <TextField
        lang={lang}
        name="organisation"
        value={values.organisation}
        error={errors.organisation}
        autocomplete="organization"
        maxLength={200}
      />
      <TextField
        lang={lang}
        name="roleTitle"
        value={values.roleTitle}
        error={errors.roleTitle}
        autocomplete="organization-title"
        maxLength={120}
      />
      <SelectField
        lang={lang}
        name="sector"
        choices={cohort.form.sectors.map((c) => ({ id: c.id, label: c[lang] }))}
        value={values.sector}
        error={errors.sector}
      />
      <SelectField
        lang={lang}
        name="region"
        choices={cohort.form.regions.map((c) => ({ id: c.id, label: c[lang] }))}
        value={values.region}
        error={errors.region}
      />
      <div class="field">
        <label for="motivation">{`${fieldLabel(lang, 'motivation')} *`}</label>
        <p class="hint" id={hintId('motivation')}>
          {t.motivationHint(formatNumber(lang, cohort.form.motivationMaxLength))}
        </p>
        <ErrorText lang={lang} field="motivation" code={errors.motivation} />
        <textarea
          id="motivation"
          name="motivation"
          required
          dir="auto"
          maxlength={cohort.form.motivationMaxLength}
          aria-invalid={errors.motivation ? 'true' : undefined}
          aria-describedby={describedBy('motivation', true, Boolean(errors.motivation))}
        >
          {values.motivation ?? ''}
        </textarea>
      </div>
      <CheckboxGroup
        lang={lang}
        name="topics"
        legend={fieldLabel(lang, 'topics')}
        hint={t.topicsHint}
        options={cohort.form.topics.map((c) => ({ id: c.id, label: c[lang] }))}
        checked={values.topics ?? []}
        error={errors.topics}
      />
      <CheckboxGroup
        lang={lang}
        name="confirmedMeetings"
        legend={t.meetingsLegend}
        hint={t.meetingsHint}
        options={cohort.meetings.map((m) => ({
          id: m.id,
          label: (
            <>
              {`${m.title[lang]} — `}
              <MeetingWhen lang={lang} cohort={cohort} meeting={m} />
            </>
          ),
        }))}
        checked={values.confirmedMeetings ?? []}
        error={errors.confirmedMeetings}
      />
      <div class="field">
        <label for="accessibilityNeeds">{fieldLabel(lang, 'accessibilityNeeds')}</label>
        <p class="hint" id={hintId('accessibilityNeeds')}>
          {t.accessibilityHint}
        </p>
        <ErrorText lang={lang} field="accessibilityNeeds" code={errors.accessibilityNeeds} />
        <textarea
          id="accessibilityNeeds"
          name="accessibilityNeeds"
          dir="auto"
          maxlength={2000}
          aria-invalid={errors.accessibilityNeeds ? 'true' : undefined}
          aria-describedby={describedBy('accessibilityNeeds', true, Boolean(errors.accessibilityNeeds))}
        >
          {values.accessibilityNeeds ?? ''}
        </textarea>
      </div>
    </>
  );
}
