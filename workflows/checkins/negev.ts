import type { ProgrammeInput } from './schema.ts';

/**
 * The Negev STEM-excellence partnership: action-line leads answer weekly, leadership reads a digest every
 * two weeks and a monthly summary. Leads and channels are deployment settings (KEHILA_SETTINGS).
 */
export const negevCheckins: ProgrammeInput = {
  id: 'negev-partnership',
  name: {
    he: 'שותפות המצוינות במדע וטכנולוגיה בנגב',
    ar: 'شراكة النقب للتميز في العلوم والتكنولوجيا',
    en: 'Negev STEM-excellence partnership',
  },
  actionLines: [
    {
      id: 'math-excellence',
      name: 'מצוינות במתמטיקה',
      names: { ar: 'التميز في الرياضيات', en: 'Excellence in mathematics' },
    },
    {
      id: 'girls-in-science',
      name: 'בנות במדע ובטכנולוגיה',
      names: { ar: 'الفتيات في العلوم والتكنولوجيا', en: 'Girls in science and technology' },
    },
    {
      id: 'industry-community',
      name: 'תעשייה וקהילה',
      names: { ar: 'الصناعة والمجتمع', en: 'Industry and community' },
    },
    {
      id: 'teacher-development',
      name: 'פיתוח מקצועי למורים',
      names: { ar: 'التطوير المهني للطواقم التعليمية', en: 'Professional development for teachers' },
    },
    {
      id: 'data-and-measurement',
      name: 'נתונים ומדידה',
      names: { ar: 'البيانات والقياس', en: 'Data and measurement' },
    },
  ],
  cadence: {
    prompt: { day: 0, time: '09:00' },
    reminder: { day: 1, time: '09:00' },
    close: { day: 2, time: '12:00' },
    leadershipDigestEveryWeeks: 2,
    monthlySummary: true,
    mentionInReminders: true,
  },
  skipDates: [],
  skipIsraeliHolidays: true,
};
