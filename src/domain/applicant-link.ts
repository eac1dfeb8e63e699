/** The purpose the applicant's own page is signed for; no other signed value opens it. */
export const MY_APPLICATION = 'my-application';

/** The path of the page a token opens: under /apply, so the form's body limit and same-origin check cover it. */
export const myApplicationPath = (token: string) => `/apply/my/${token}`;
