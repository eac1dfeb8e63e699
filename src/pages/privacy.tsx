import { Layout } from './layout.tsx';

/** The privacy notice the form links to; the programme's legal text replaces it per installation. */
export function PrivacyPage() {
  return (
    <Layout title="מדיניות הפרטיות">
      <h1>מדיניות הפרטיות</h1>
      <p>
        הפרטים שנמסרים בטופס משמשים את צוות רשת muni:STEM לתהליך הקבלה למחזור, לתיאום המפגשים ולפעילות הרשת
        בלבד. הם נשמרים במערכת של התוכנית ואינם מועברים לגורם אחר שלא לצורך זה.
      </p>
      <ul>
        <li>צרכי הנגישות שנמסרים נראים רק לצוות התוכנית, ולא לסוקרים.</li>
        <li>מספר הטלפון אינו מוצג לסוקרים.</li>
        <li>אפשר לבקש בכל עת עותק של כל המידע השמור עליך, או את מחיקתו, בפנייה לצוות התוכנית.</li>
        <li>בקשות שלא התקבלו נמחקות בתום תקופת השמירה שנקבעה לתוכנית.</li>
      </ul>
      <p>
        <a href="/apply">חזרה לטופס</a>
      </p>
    </Layout>
  );
}
