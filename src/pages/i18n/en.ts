import type { Messages } from './he.ts';
import { plural } from './plural.ts';

// British English, as the network's partners abroad read it.

export const en: Messages = {
  siteName: 'kehila — the muni:STEM network',
  skipToMain: 'Skip to the page content',
  languageSwitch: 'Page language',
  requiredNote: 'Fields marked with an asterisk (*) are required.',
  errorSummaryTitle: 'Please correct a few details before sending:',
  errorPageTitle: (title) => `Error: ${title}`,
  submit: 'Send the application',
  draftRestored: 'We restored what you filled in last time on this device.',
  draftClear: 'Clear the form',
  tooFast: 'We could not verify the submission. Your details are kept; please check them and send again.',
  botCheckFailed:
    'We could not confirm that a person sent the form. Your details are kept; please try again.',
  formExpired:
    'The form was opened a long time ago, so it needs to be sent again. All your details are kept; you can check them and send.',
  formReused:
    'This form has already been sent once. If no confirmation arrived, you can check the details and send again.',
  meetingsCount: (n) => plural('en', n, { one: 'one meeting', other: `${n} meetings` }),
  meetingsLegend: 'Attendance at every meeting is required. Please tick each date you can attend:',
  meetingsHint: 'If a date does not suit you, you can still apply; the programme team will be in touch.',
  accessibilityHint:
    'The network is committed to accessible meetings. What you write here is seen only by the programme team, not by the reviewers. You may leave it empty.',
  motivationHint: (max) => `Up to ${max} characters.`,
  example: 'For example:',
  topicsHint: 'You can choose several topics.',
  consentBefore: 'I have read the',
  consentAfter:
    'and agree that my details may be used for the admission process and the network’s activities.',
  privacyLink: 'privacy notice',
  honeypotLabel: 'Website (leave empty)',
  choose: 'Choose…',
  closed: 'Applications to this cohort are closed.',
  receivedTitle: 'Application received',
  receivedLead: 'Thank you! We have received your application.',
  referenceLabel: 'Your reference:',
  referenceByEmail:
    'Your application is saved and will reach the team within minutes. Your reference will follow by e-mail.',
  referenceHint: 'Please keep it; you can quote it whenever you contact us by phone.',
  nextTitle: 'What happens next?',
  nextStep1: 'We will send you a confirmation by e-mail.',
  nextStep2: 'The reviewers will consider your application, usually within a week.',
  nextStep3:
    'We will tell you the decision by e-mail. Accepted members receive calendar invitations to every meeting.',
  icsLink: 'Add all meetings to your calendar (.ics file)',
  meetingsTitle: 'Meeting dates',
  inPerson: 'in person',
  online: 'online',
  privacyTitle: 'Privacy notice',
  privacyLead:
    'The details you give in the form are used by the muni:STEM network team only for admission to the cohort, for arranging the meetings and for the network’s activities. They are kept in the programme’s system and are not passed to anyone else for any other purpose.',
  privacyItem1:
    'The accessibility arrangements you ask for are seen only by the programme team, not by the reviewers.',
  privacyItem2: 'Your phone number is not shown to the reviewers.',
  privacyItem3:
    'You may ask the programme team at any time for a copy of everything held about you, or for its erasure.',
  privacyItem4:
    'Applications that were not accepted are deleted at the end of the programme’s retention period.',
  privacyBack: 'Back to the form',
  notFoundTitle: 'Page not found',
  errorTitle: 'Something went wrong',
  errorBody:
    'Something went wrong on our side. Your details are still in your browser; please go back and try again in a moment.',
  tooLargeBody: 'The form sent was too large. Please shorten the texts and try again.',
  forbiddenBody:
    'We could not verify where the form was sent from. Please open the form again and resend it.',
  rateLimitedBody: 'Too many requests were sent in a short time. Please try again in a few minutes.',
  footerLinks: 'More information',
  contactTitle: 'Contact us',
  contactLead: 'For questions about your application or the programme, please contact the programme team:',
  contactEmail: 'E-mail:',
  contactPhone: 'Phone:',
  closedTitle: 'Applications are closed',
  badRequestTitle: 'The request could not be accepted',
  badRequestBody: (which) =>
    `Some details in the address or the form are not valid${which}, so nothing was saved or changed. You can go back to the previous page and try again.`,
  requestIdLabel: 'The reference of this error, should the team ask for it:',
  a11yTitle: 'Accessibility statement',
  a11yLead:
    'The muni:STEM network wants everyone who wishes to take part in its work to be able to do so equally, with dignity and independently. The form and the pages around it are built to be accessible to disabled people too.',
  a11yStandardTitle: 'The standard we follow',
  a11yStandard: (is, wcag) =>
    `The pages follow the Equal Rights for Persons with Disabilities (Service Accessibility Adjustments) Regulations and the Israeli standard ${is}, which is based on ${wcag}.`,
  a11yWhatTitle: 'What is accessible',
  a11yWhat1:
    'Every page can be used with a keyboard alone, and each one starts with a link that skips straight to its content.',
  a11yWhat2:
    'The pages work with screen readers: every field has a label, with its hints and error messages linked to it. When there are errors, a summary of them appears at the top of the form.',
  a11yWhat3:
    'The pages are shown right to left in Hebrew and Arabic and left to right in English, and you can switch language on every page. Every message we send you afterwards is in the language you applied in.',
  a11yWhat4:
    'Text can be enlarged to twice its size without losing any content, and the pages suit mobile phones.',
  a11yWhat5: 'Colour contrast meets the requirements, and no information is given by colour alone.',
  a11yWhat6:
    'The form works even when the browser blocks scripts, and what you filled in is kept if the form comes back with comments.',
  a11yLimitsTitle: 'Known limitations',
  a11yLimit1:
    'When the check against automated submissions is switched on, it appears in a window from an outside provider whose accessibility we do not control. If it gets in your way, contact us and we will complete your application together.',
  a11yLimit2:
    'Calendar files (.ics) open in other calendar software, and how accessible they are depends on that software.',
  a11yLimit3:
    'Meeting descriptions and addresses are sometimes given in Hebrew only. We will gladly translate them for you on request.',
  a11yArrangeTitle: 'Accessibility arrangements at the meetings',
  a11yArrange:
    'The network is committed to accessible meetings. You can ask for an arrangement (such as live captioning, sign-language interpreting, wheelchair access or materials in advance) on the form itself, in the field "Accessibility arrangements you need", or at any time through the contact details below. What you tell us about this is seen only by the programme team.',
  a11yContactTitle: 'Accessibility contact',
  a11yContactLead:
    'If you run into any difficulty on the site or at the meetings, or have a suggestion, we would be glad to hear from you. We aim to reply within three working days.',
  a11yReviewed: (date) => `This statement was last reviewed on ${date}.`,
  saveForLater: 'Save and continue later',
  saveHint:
    'To save, only your e-mail address is needed. We will send it a link to carry on from any device, valid for 30 days.',
  saveNeedsEmail: 'To save the form we need a valid e-mail address: that is where the link to carry on goes.',
  savedTitle: 'Your form is saved',
  savedLead:
    'If the address you entered is right, a link to carry on with the form is on its way to it. The link is valid for 30 days and opens on any device.',
  savedNoMail:
    'No message? Check your spam folder. Saving again within the next ten minutes updates the draft without sending another message, and the link already sent always opens the latest version.',
  savedNotSent: 'Your application has not been sent yet: it reaches the team only once you send the form.',
  draftResumed: 'We have restored the form you saved. You can carry on and send it.',
  resumeInvalidTitle: 'This link is not valid',
  resumeInvalidBody:
    'The link may have been copied only in part. Open it again straight from the message you received, or fill in the form afresh.',
  resumeExpiredTitle: 'This link has expired',
  resumeExpiredBody:
    'Drafts are kept for 30 days from the last save, or until the application is sent. You can fill in the form again and save it.',
  toTheForm: 'Go to the form',
  'field.fullName': 'Full name',
  'field.email': 'E-mail',
  'field.phone': 'Mobile phone',
  'field.organisation': 'Organisation or local authority',
  'field.roleTitle': 'Role',
  'field.sector': 'Type of organisation',
  'field.region': 'Region',
  'field.motivation': 'What makes you want to join the leading team?',
  'field.topics': 'Topics you can contribute to',
  'field.confirmedMeetings': 'Confirming the meeting dates',
  'field.accessibilityNeeds': 'Accessibility arrangements you need',
  'field.consent': 'Consent to the privacy notice',
  'error.required': 'This field is required.',
  'error.too_short': 'The text is too short.',
  'error.too_long': 'The text is too long.',
  'error.invalid_email': 'The e-mail address is not valid.',
  'error.invalid_phone': 'The mobile number is not valid.',
  'error.invalid_choice': 'Please choose one of the options in the list.',
  'error.too_many': 'Too many options were chosen.',
  'error.consent_required': 'To send the form, please accept the privacy notice.',
  'error.unknown_field': 'Unknown field.',
  'error.invalid_type': 'The value is not valid.',
  'error.fullName.required': 'Please enter your full name.',
  'error.fullName.too_short': 'Please enter your full name (at least two characters).',
  'error.email.required': 'Please enter your e-mail address.',
  'error.phone.required': 'Please enter your mobile number.',
  'error.organisation.required': 'Please enter the name of your organisation or local authority.',
  'error.roleTitle.required': 'Please enter your role.',
  'error.sector.required': 'Please choose the type of organisation.',
  'error.region.required': 'Please choose a region.',
  'error.motivation.required': 'Please write a few words about what makes you want to join.',
  'error.motivation.too_short': 'Please write at least twenty characters.',
};
