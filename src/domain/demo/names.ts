import type { Guardian } from '../registry/types.js';
import { type Rng, type Weighted, weighted } from './prng.js';

/**
 * Synthetic people for the demo program (DESIGN.md §7: only synthetic data). Given and family names are drawn
 * independently from per-culture lists of common names, so every combination is invented. Lists are stored as
 * `Latin|native` where the culture has its own script; all strings are NFC-normalized once at load.
 */

export const CULTURES = ['en_us', 'es_latam', 'ar', 'zh', 'hi', 'pt_br', 'fr', 'vi', 'ru', 'yo'] as const;
export type CultureId = (typeof CULTURES)[number];

type Sex = 'male' | 'female';

interface CultureData {
  /** The family's own language (shown as `preferredLanguage` when they prefer it). */
  readonly language: string;
  readonly childMale: readonly string[];
  readonly childFemale: readonly string[];
  readonly adultMale: readonly string[];
  readonly adultFemale: readonly string[];
  readonly family: readonly string[];
  /** Women keep their own family name on marriage (Arabic, Chinese, Vietnamese naming). */
  readonly motherKeepsName?: boolean;
  /** Two family names: Spanish paternal + maternal, Portuguese maternal + paternal. */
  readonly compound?: 'paternal_first' | 'maternal_first';
  /** Russian family names take a feminine ending (Ivanov → Ivanova). */
  readonly feminineFamily?: boolean;
}

const list = (s: string): readonly string[] => s.split(',').map((x) => x.trim().normalize('NFC')).filter(Boolean);

const CULTURE_DATA: Record<CultureId, CultureData> = {
  en_us: {
    language: 'English',
    childMale: list('Liam,Noah,Oliver,James,Elijah,William,Henry,Lucas,Benjamin,Theodore,Mason,Jackson,Aiden,Caleb,Owen,Wyatt,Carter,Julian,Grayson,Jayden,Isaiah,Jamal,Xavier,Hunter,Logan,Cooper,Ezra,Miles,Declan,Brody'),
    childFemale: list('Olivia,Emma,Charlotte,Amelia,Sophia,Mia,Evelyn,Harper,Abigail,Ella,Avery,Scarlett,Madison,Aaliyah,Brooklyn,Zoe,Naomi,Hazel,Nevaeh,Chloe,Riley,Layla,Stella,Aurora,Imani,Kayla,Paisley,Savannah,Maya,Addison'),
    adultMale: list('Michael,Christopher,Matthew,Joshua,David,Daniel,Andrew,Justin,Ryan,Brandon,Jason,Kevin,Marcus,Derek,Travis,Eric'),
    adultFemale: list('Jessica,Ashley,Jennifer,Amanda,Sarah,Stephanie,Nicole,Heather,Elizabeth,Megan,Lauren,Rachel,Tiffany,Kimberly,Crystal,Danielle'),
    family: list("Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Jackson,Martin,Lee,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Hill,Green,Adams,Baker,Nelson,Carter,Mitchell,Roberts,Turner,Phillips,Campbell,Parker,Evans,Edwards,Collins,Stewart,Morris,Murphy,Cook,Rogers,O'Brien,Sullivan,McCarthy"),
  },
  es_latam: {
    language: 'Spanish',
    compound: 'paternal_first',
    childMale: list('Santiago,Mateo,Sebastián,Leonardo,Matías,Diego,Emiliano,Alejandro,Daniel,Joaquín,Nicolás,José Luis,Ángel,Iker,Julián,Tomás,Gael,Maximiliano,Rodrigo,Andrés'),
    childFemale: list('Sofía,Valentina,Regina,Ximena,Camila,María José,Valeria,Renata,Lucía,Isabella,Mariana,Daniela,Guadalupe,Ana Sofía,Jimena,Natalia,Fernanda,Paula,Abril,Romina'),
    adultMale: list('José,Juan Carlos,Luis,Miguel Ángel,Jorge,Francisco,Ricardo,Héctor,Raúl,Sergio,Óscar,Javier,Eduardo,Fernando'),
    adultFemale: list('María,Guadalupe,Verónica,Patricia,Claudia,Alejandra,Mónica,Gabriela,Adriana,Leticia,Rocío,Araceli,Beatriz,Yesenia'),
    family: list('García,Hernández,Martínez,López,González,Rodríguez,Pérez,Sánchez,Ramírez,Flores,Gómez,Díaz,Cruz,Morales,Reyes,Jiménez,Torres,Vázquez,Ortiz,Núñez,Castillo,Peña,Ibáñez,Muñoz,Mendoza,Aguilar,Romero,Herrera,Medina,Gutiérrez'),
  },
  ar: {
    language: 'Arabic',
    motherKeepsName: true,
    childMale: list('Mohammed|محمد,Abdullah|عبدالله,Omar|عمر,Faisal|فيصل,Khalid|خالد,Youssef|يوسف,Hamad|حمد,Saud|سعود,Ahmed|أحمد,Ali|علي,Fahad|فهد,Sultan|سلطان,Rashid|راشد,Zayed|زايد,Turki|تركي,Hamza|حمزة,Yazan|يزن,Majed|ماجد'),
    childFemale: list('Fatima|فاطمة,Noura|نورة,Sara|سارة,Maryam|مريم,Layla|ليلى,Reem|ريم,Aisha|عائشة,Hessa|حصة,Lujain|لجين,Dana|دانة,Jana|جنى,Shahad|شهد,Ghala|غلا,Hala|هلا,Jood|جود,Razan|رزان'),
    adultMale: list('Abdulaziz|عبدالعزيز,Abdulrahman|عبدالرحمن,Nasser|ناصر,Saleh|صالح,Ibrahim|إبراهيم,Mansour|منصور,Tariq|طارق,Waleed|وليد,Bandar|بندر,Adel|عادل,Hassan|حسن,Yousef|يوسف'),
    adultFemale: list('Huda|هدى,Mona|منى,Amal|أمل,Nawal|نوال,Hanan|حنان,Samira|سميرة,Latifa|لطيفة,Manal|منال,Wafa|وفاء,Abeer|عبير,Asma|أسماء,Khadija|خديجة'),
    family: list('Al-Otaibi|العتيبي,Al-Qahtani|القحطاني,Al-Ghamdi|الغامدي,Al-Harbi|الحربي,Al-Shehri|الشهري,Al-Zahrani|الزهراني,Al-Mutairi|المطيري,Al-Dossari|الدوسري,Al-Shammari|الشمري,Al-Ajmi|العجمي,Al-Mansouri|المنصوري,Al-Nuaimi|النعيمي,Al-Suwaidi|السويدي,Al-Kaabi|الكعبي,Al-Rashidi|الرشيدي,Al-Enezi|العنزي,Al-Hajri|الهاجري,Al-Marri|المري,Al-Kuwari|الكواري,Al-Azmi|العازمي'),
  },
  zh: {
    language: 'Mandarin',
    motherKeepsName: true,
    childMale: list('Haoran|浩然,Yuxuan|宇轩,Zihao|子豪,Junjie|俊杰,Yichen|奕辰,Mingyu|明宇,Jiahao|家豪,Tianyi|天翼,Bowen|博文,Zhiyuan|志远,Ruize|睿泽,Hanlin|瀚林,Jinhao|锦浩,Yifan|一帆'),
    childFemale: list('Xinyi|欣怡,Zihan|子涵,Yutong|雨桐,Jiaxin|佳欣,Siqi|思琪,Mengyao|梦瑶,Wanting|婉婷,Yiran|怡然,Shuyi|书怡,Ling|玲,Ruoxi|若曦,Yuxi|雨希,Keer|可儿,Xiaoyu|晓雨'),
    adultMale: list('Wei|伟,Jun|军,Qiang|强,Lei|磊,Yong|勇,Jian|健,Hao|浩,Feng|峰,Gang|刚,Bin|斌,Tao|涛,Peng|鹏'),
    adultFemale: list('Fang|芳,Li|丽,Jing|静,Yan|燕,Min|敏,Xia|霞,Juan|娟,Hong|红,Hui|慧,Ying|颖,Lan|兰,Na|娜'),
    family: list('Wang|王,Li|李,Zhang|张,Liu|刘,Chen|陈,Yang|杨,Huang|黄,Zhao|赵,Wu|吴,Zhou|周,Xu|徐,Sun|孙,Ma|马,Zhu|朱,Hu|胡,Guo|郭,He|何,Lin|林,Luo|罗,Gao|高,Zheng|郑,Liang|梁,Xie|谢,Song|宋'),
  },
  hi: {
    language: 'Hindi',
    childMale: list('Aarav|आरव,Vihaan|विहान,Arjun|अर्जुन,Reyansh|रेयांश,Ishaan|ईशान,Aditya|आदित्य,Rohan|रोहन,Kabir|कबीर,Dhruv|ध्रुव,Atharv|अथर्व,Vivaan|विवान,Ayaan|अयान,Krish|क्रिश,Shaurya|शौर्य'),
    childFemale: list('Saanvi|सान्वी,Ananya|अनन्या,Aadhya|आध्या,Diya|दिया,Priya|प्रिया,Ishita|इशिता,Kavya|काव्या,Myra|मायरा,Anika|अनिका,Riya|रिया,Pari|परी,Navya|नव्या,Aarohi|आरोही,Siya|सिया'),
    adultMale: list('Rajesh|राजेश,Sanjay|संजय,Amit|अमित,Sunil|सुनील,Vikram|विक्रम,Rahul|राहुल,Manoj|मनोज,Deepak|दीपक,Anil|अनिल,Suresh|सुरेश,Ravi|रवि,Ashok|अशोक'),
    adultFemale: list('Sunita|सुनीता,Pooja|पूजा,Neha|नेहा,Anjali|अंजलि,Kavita|कविता,Rekha|रेखा,Meena|मीना,Sneha|स्नेहा,Shweta|श्वेता,Lakshmi|लक्ष्मी,Geeta|गीता,Asha|आशा'),
    family: list('Sharma|शर्मा,Verma|वर्मा,Gupta|गुप्ता,Singh|सिंह,Kumar|कुमार,Patel|पटेल,Yadav|यादव,Mishra|मिश्रा,Agarwal|अग्रवाल,Joshi|जोशी,Chauhan|चौहान,Reddy|रेड्डी,Iyer|अय्यर,Nair|नायर,Pandey|पांडे,Tiwari|तिवारी,Saxena|सक्सेना,Srivastava|श्रीवास्तव'),
  },
  pt_br: {
    language: 'Portuguese',
    compound: 'maternal_first',
    childMale: list('Miguel,Arthur,Heitor,Théo,Davi,Gabriel,Bernardo,Samuel,João Pedro,Lorenzo,Enzo,Benício,Lucas,Guilherme,Pedro Henrique,Otávio,Caio,Vinícius'),
    childFemale: list('Helena,Alice,Laura,Manuela,Valentina,Sophia,Isabella,Heloísa,Luísa,Lívia,Maria Eduarda,Cecília,Beatriz,Lara,Ana Júlia,Lorena,Antônia,Mariana'),
    adultMale: list('José,João,Antônio,Francisco,Carlos,Paulo,Marcos,Luiz Fernando,Rogério,Márcio,Sérgio,Anderson,Fábio,Rodrigo'),
    adultFemale: list('Maria,Ana Paula,Adriana,Juliana,Márcia,Fernanda,Patrícia,Aline,Simone,Luciana,Cláudia,Tatiane,Vânia,Débora'),
    family: list('Silva,Santos,Oliveira,Souza,Rodrigues,Ferreira,Alves,Pereira,Lima,Gomes,Ribeiro,Carvalho,Gonçalves,Araújo,Conceição,Magalhães,Assunção,Brandão,Falcão,Simões,Nascimento,Barbosa,Rocha,Cardoso'),
  },
  fr: {
    language: 'French',
    childMale: list('Gabriel,Léo,Raphaël,Louis,Jules,Adam,Lucas,Hugo,Arthur,Noé,Théo,Maël,Éthan,Gaël,Timothée,Côme,Baptiste'),
    childFemale: list('Jade,Louise,Emma,Ambre,Alice,Chloé,Léa,Inès,Zoé,Héloïse,Anaïs,Maëlle,Léonie,Agathe,Céleste,Maëlys,Noémie'),
    adultMale: list('Nicolas,Sébastien,Julien,Stéphane,Frédéric,Olivier,Jérôme,François,Guillaume,Cédric,Thierry,Benoît'),
    adultFemale: list('Émilie,Aurélie,Céline,Nathalie,Stéphanie,Sandrine,Isabelle,Hélène,Sophie,Valérie,Élodie,Véronique'),
    family: list('Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Lefèvre,Fournier,Girard,Bonnet,Mercier,Gauthier,Rousseau,Lemaître,Bérenger,Chevalier,Noël,Faure,Rivière,Lefébure'),
  },
  vi: {
    language: 'Vietnamese',
    motherKeepsName: true,
    childMale: list('Minh Khang,Gia Huy,Đức Anh,Quốc Bảo,Hoàng Nam,Tuấn Kiệt,Minh Quân,Thành Long,Bảo Long,Khôi,Nhật Minh,Phúc An,Đăng Khoa,Trung Kiên'),
    childFemale: list('Ngọc Anh,Thảo Vy,Bảo Ngọc,Khánh Linh,Minh Châu,Phương Anh,Thu Hà,Gia Hân,Mai Anh,Lan Chi,Tường Vi,Hoài An,Diệp Chi,Yến Nhi'),
    adultMale: list('Văn Hùng,Văn Dũng,Quang Huy,Thanh Tùng,Hữu Phước,Công Minh,Đức Thắng,Văn Toàn,Quốc Cường,Minh Tuấn'),
    adultFemale: list('Thị Lan,Thị Hương,Thu Trang,Thị Mai,Ngọc Hân,Thanh Thủy,Thị Hồng,Kim Oanh,Bích Ngọc,Thị Nga'),
    family: list('Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương,Lý'),
  },
  ru: {
    language: 'Russian',
    feminineFamily: true,
    childMale: list('Aleksandr|Александр,Dmitry|Дмитрий,Maksim|Максим,Ivan|Иван,Artyom|Артём,Mikhail|Михаил,Kirill|Кирилл,Nikita|Никита,Yegor|Егор,Matvey|Матвей,Lev|Лев,Timofey|Тимофей'),
    childFemale: list('Anastasia|Анастасия,Maria|Мария,Sofia|София,Anna|Анна,Polina|Полина,Daria|Дарья,Viktoria|Виктория,Yekaterina|Екатерина,Alisa|Алиса,Ksenia|Ксения,Varvara|Варвара,Yelizaveta|Елизавета'),
    adultMale: list('Sergey|Сергей,Andrey|Андрей,Aleksey|Алексей,Vladimir|Владимир,Yevgeny|Евгений,Pavel|Павел,Roman|Роман,Oleg|Олег,Denis|Денис,Igor|Игорь,Konstantin|Константин,Vitaly|Виталий'),
    adultFemale: list('Yelena|Елена,Olga|Ольга,Natalia|Наталья,Irina|Ирина,Svetlana|Светлана,Tatiana|Татьяна,Yulia|Юлия,Marina|Марина,Oksana|Оксана,Galina|Галина,Lyudmila|Людмила,Nadezhda|Надежда'),
    // Every entry ends in -ov/-ev/-yov so the feminine form is the stem plus -a.
    family: list('Ivanov|Иванов,Smirnov|Смирнов,Kuznetsov|Кузнецов,Popov|Попов,Vasiliev|Васильев,Petrov|Петров,Sokolov|Соколов,Mikhailov|Михайлов,Novikov|Новиков,Fyodorov|Фёдоров,Morozov|Морозов,Volkov|Волков,Alekseev|Алексеев,Lebedev|Лебедев,Kozlov|Козлов,Orlov|Орлов,Zaitsev|Зайцев,Pavlov|Павлов,Semyonov|Семёнов,Golubev|Голубев'),
  },
  yo: {
    language: 'Yoruba',
    // Tone marks on dotted vowels (ọ̀, ẹ́) have no precomposed form: they stay combining marks even in NFC.
    childMale: list('Olúwaṣeun,Adébáyọ̀,Ayọ̀délé,Bámidélé,Kọ́lá,Ọlámídé,Babátúndé,Dàpọ̀,Fẹ́mi,Tèmítọ́pẹ́,Ìbùkún,Ṣèyí,Dáre,Tọ́lú'),
    childFemale: list('Fọláṣadé,Títílayọ̀,Oyínkánsọ́lá,Morẹ́nikẹ́,Adérónkẹ́,Yétúndé,Bọ́láńlé,Ìfẹ́olúwa,Kẹ́hìndé,Ṣadé,Àbẹ̀ní,Mọ́yọ̀,Dámilọ́lá,Ẹniọlá'),
    adultMale: list('Adéwálé,Olúṣẹ́gun,Akínwùmí,Olúfẹ́mi,Bọ́lájí,Kúnlé,Gbénga,Jídé,Túnjí,Lánre'),
    adultFemale: list('Fúnmiláyọ̀,Bùkọ́lá,Ọlábísí,Adéṣọlá,Yéwándé,Fọlákẹ́,Mojí,Rónkẹ́,Tóyìn,Àdùkẹ́'),
    family: list('Adéyẹmí,Ọlánrewájú,Ògúnlẹ́yẹ,Adébáyọ̀,Òkè,Àjàyí,Oyèlárán,Fáṣọlá,Akínwùmí,Ọdúnayọ̀,Adéwálé,Olúwọlé,Ìdòwú,Ògúndélé,Àkàndé,Bánkọ́lé,Adégbítẹ̀,Ọlátúnjí'),
  },
};

/** Removes accents and tone marks (as many US registration systems do), keeping the base letters. */
export function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** How a name is written: native script, Latin with diacritics, or plain Latin. */
export type NameScript = 'native' | 'latin' | 'plain';

/** One name in its Latin form and, where the culture has one, its native-script form. */
interface NameForm {
  readonly latin: string;
  /** `latin` without diacritics, computed once (normalization is slow in a hot loop). */
  readonly plain: string;
  readonly native?: string;
}

function form(latin: string, native?: string): NameForm {
  return { latin, plain: stripDiacritics(latin), ...(native === undefined ? {} : { native }) };
}

function parseForm(entry: string): NameForm {
  const bar = entry.indexOf('|');
  return bar < 0 ? form(entry) : form(entry.slice(0, bar), entry.slice(bar + 1));
}

function render(f: NameForm, script: NameScript): string {
  if (script === 'native' && f.native !== undefined) return f.native;
  return script === 'plain' ? f.plain : f.latin;
}

function feminine(f: NameForm): NameForm {
  return { latin: `${f.latin}a`, plain: `${f.plain}a`, ...(f.native === undefined ? {} : { native: `${f.native}а` }) };
}

function joinForms(a: NameForm, b: NameForm): NameForm {
  const native = a.native !== undefined && b.native !== undefined ? `${a.native} ${b.native}` : undefined;
  return { latin: `${a.latin} ${b.latin}`, plain: `${a.plain} ${b.plain}`, ...(native === undefined ? {} : { native }) };
}

interface ParsedCulture {
  readonly childMale: readonly NameForm[];
  readonly childFemale: readonly NameForm[];
  readonly adultMale: readonly NameForm[];
  readonly adultFemale: readonly NameForm[];
  readonly family: readonly NameForm[];
}

function parseCulture(d: CultureData): ParsedCulture {
  return {
    childMale: d.childMale.map(parseForm), childFemale: d.childFemale.map(parseForm),
    adultMale: d.adultMale.map(parseForm), adultFemale: d.adultFemale.map(parseForm), family: d.family.map(parseForm),
  };
}

/** Parsed lists, built once. */
const PARSED: Record<CultureId, ParsedCulture> = {
  en_us: parseCulture(CULTURE_DATA.en_us), es_latam: parseCulture(CULTURE_DATA.es_latam), ar: parseCulture(CULTURE_DATA.ar),
  zh: parseCulture(CULTURE_DATA.zh), hi: parseCulture(CULTURE_DATA.hi), pt_br: parseCulture(CULTURE_DATA.pt_br),
  fr: parseCulture(CULTURE_DATA.fr), vi: parseCulture(CULTURE_DATA.vi), ru: parseCulture(CULTURE_DATA.ru), yo: parseCulture(CULTURE_DATA.yo),
};

/** Where the family lives and what they speak. */
export interface Household {
  homeCountry: string;
  culture: CultureId;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  script: NameScript;
  /** Phone number generator for the home country. */
  phone: (rng: Rng) => string;
  international: boolean;
}

const digits = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
};

/** US numbers use the 555-0100…0199 block reserved for fiction, so no demo number can ring a real phone. */
const US_AREA_CODES = ['212', '214', '206', '303', '305', '312', '404', '415', '504', '602', '615', '617', '713', '801', '919'] as const;
const usPhone = (rng: Rng): string => `+1 ${rng.pick(US_AREA_CODES)}-555-01${digits(rng, 2)}`;

interface CountryDef {
  readonly country: string;
  readonly culture: CultureId;
  /** Preferred language of the family. */
  readonly languages: Weighted<string>;
  /** Share of families (not preferring English) who need an interpreter. */
  readonly interpreter: number;
  /** Share registered with their names in native script. */
  readonly nativeScript: number;
  readonly phone: (rng: Rng) => string;
}

const INTERNATIONAL: Weighted<CountryDef> = [
  [{ country: 'Saudi Arabia', culture: 'ar', languages: [['Arabic', 0.9], ['English', 0.1]], interpreter: 0.9, nativeScript: 0.35, phone: (r) => `+966 5${r.int(0, 9)} ${digits(r, 3)} ${digits(r, 4)}` }, 5],
  [{ country: 'United Arab Emirates', culture: 'ar', languages: [['Arabic', 0.8], ['English', 0.2]], interpreter: 0.85, nativeScript: 0.3, phone: (r) => `+971 5${r.pick(['0', '2', '5', '6'])} ${digits(r, 3)} ${digits(r, 4)}` }, 3],
  [{ country: 'Kuwait', culture: 'ar', languages: [['Arabic', 0.85], ['English', 0.15]], interpreter: 0.9, nativeScript: 0.35, phone: (r) => `+965 ${r.pick(['5', '6', '9'])}${digits(r, 3)} ${digits(r, 4)}` }, 2],
  [{ country: 'Qatar', culture: 'ar', languages: [['Arabic', 0.8], ['English', 0.2]], interpreter: 0.85, nativeScript: 0.3, phone: (r) => `+974 ${r.pick(['3', '5', '6', '7'])}${digits(r, 3)} ${digits(r, 4)}` }, 1],
  [{ country: 'Mexico', culture: 'es_latam', languages: [['Spanish', 0.95], ['English', 0.05]], interpreter: 0.9, nativeScript: 0, phone: (r) => `+52 ${r.pick(['55', '33', '81', '664'])} ${digits(r, 4)} ${digits(r, 4)}` }, 5],
  [{ country: 'Colombia', culture: 'es_latam', languages: [['Spanish', 1]], interpreter: 0.9, nativeScript: 0, phone: (r) => `+57 3${digits(r, 2)} ${digits(r, 3)} ${digits(r, 4)}` }, 1],
  [{ country: 'Brazil', culture: 'pt_br', languages: [['Portuguese', 0.95], ['English', 0.05]], interpreter: 0.9, nativeScript: 0, phone: (r) => `+55 ${r.pick(['11', '21', '31', '61', '71'])} 9${digits(r, 4)}-${digits(r, 4)}` }, 3],
  [{ country: 'China', culture: 'zh', languages: [['Mandarin', 0.95], ['English', 0.05]], interpreter: 0.95, nativeScript: 0.4, phone: (r) => `+86 1${r.pick(['38', '39', '58', '86', '37'])} ${digits(r, 4)} ${digits(r, 4)}` }, 3],
  [{ country: 'Nigeria', culture: 'yo', languages: [['English', 0.75], ['Yoruba', 0.25]], interpreter: 0.6, nativeScript: 0, phone: (r) => `+234 ${r.pick(['803', '805', '806', '813', '816'])} ${digits(r, 3)} ${digits(r, 4)}` }, 2],
  [{ country: 'Vietnam', culture: 'vi', languages: [['Vietnamese', 0.95], ['English', 0.05]], interpreter: 0.95, nativeScript: 0, phone: (r) => `+84 9${r.int(0, 9)} ${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}` }, 1.5],
  [{ country: 'Russia', culture: 'ru', languages: [['Russian', 0.95], ['English', 0.05]], interpreter: 0.95, nativeScript: 0.4, phone: (r) => `+7 9${digits(r, 2)} ${digits(r, 3)}-${digits(r, 2)}-${digits(r, 2)}` }, 1.5],
  [{ country: 'India', culture: 'hi', languages: [['Hindi', 0.6], ['English', 0.4]], interpreter: 0.8, nativeScript: 0.2, phone: (r) => `+91 ${r.pick(['98', '99', '97', '90'])}${digits(r, 3)} ${digits(r, 5)}` }, 1.5],
  [{ country: 'France', culture: 'fr', languages: [['French', 0.9], ['English', 0.1]], interpreter: 0.85, nativeScript: 0, phone: (r) => `+33 6 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}` }, 0.5],
];

/** Families living in the United States: culture of the name, and the share preferring the family language. */
const DOMESTIC: Weighted<readonly [CultureId, number]> = [
  [['en_us', 0], 56], [['es_latam', 0.4], 22], [['hi', 0.1], 4], [['yo', 0.05], 4], [['ar', 0.15], 4],
  [['zh', 0.2], 3], [['vi', 0.25], 3], [['pt_br', 0.3], 1.5], [['ru', 0.2], 1.5], [['fr', 0.2], 1],
];

const pickInternational = weighted(INTERNATIONAL);
const LANGUAGE_PICKERS = new Map(INTERNATIONAL.map(([c]) => [c, weighted(c.languages)] as const));
const pickDomestic = weighted(DOMESTIC);

/** Share of patients whose family lives outside the United States. */
export const INTERNATIONAL_SHARE = 0.3;

export function drawHousehold(rng: Rng): Household {
  if (rng.chance(INTERNATIONAL_SHARE)) {
    const c = pickInternational(rng);
    const preferredLanguage = (LANGUAGE_PICKERS.get(c) as (r: Rng) => string)(rng);
    const interpreterNeeded = preferredLanguage !== 'English' && rng.chance(c.interpreter);
    const script: NameScript = rng.chance(c.nativeScript) ? 'native' : rng.chance(0.2) ? 'plain' : 'latin';
    return { homeCountry: c.country, culture: c.culture, preferredLanguage, interpreterNeeded, script, phone: c.phone, international: true };
  }
  const [culture, ownLanguage] = pickDomestic(rng);
  const preferredLanguage = rng.chance(ownLanguage) ? CULTURE_DATA[culture].language : 'English';
  const interpreterNeeded = preferredLanguage !== 'English' && rng.chance(0.8);
  // US registration often drops accents and tone marks.
  const script: NameScript = rng.chance(0.5) ? 'plain' : 'latin';
  return { homeCountry: 'United States', culture, preferredLanguage, interpreterNeeded, script, phone: usPhone, international: false };
}

export interface PersonName { givenName: string; familyName: string }

interface FamilyNames {
  /** The child's family name. */
  child: NameForm;
  /** The father's family name. */
  father: NameForm;
  /** The mother's family name. */
  mother: NameForm;
}

/** A family name different from `not` (a few tries; the lists are long enough). */
function pickOther(rng: Rng, fams: readonly NameForm[], not: NameForm): NameForm {
  let f = rng.pick(fams);
  for (let i = 0; i < 3 && f === not; i++) f = rng.pick(fams);
  return f;
}

function drawFamilyNames(rng: Rng, culture: CultureId): FamilyNames {
  const d = CULTURE_DATA[culture];
  const fams = PARSED[culture].family;
  const a = rng.pick(fams);
  const b = pickOther(rng, fams, a);
  if (d.compound !== undefined) {
    // Spanish: child = paternal + maternal; Portuguese/Brazilian: child = maternal + paternal.
    const other1 = pickOther(rng, fams, a);
    const other2 = pickOther(rng, fams, b);
    const child = d.compound === 'paternal_first' ? joinForms(a, b) : joinForms(b, a);
    const father = d.compound === 'paternal_first' ? joinForms(a, other1) : joinForms(other1, a);
    const mother = joinForms(b, other2);
    return rng.chance(0.7) ? { child, father, mother } : { child: a, father: a, mother: rng.chance(0.5) ? a : b };
  }
  if (d.motherKeepsName) return { child: a, father: a, mother: b };
  return { child: a, father: a, mother: rng.chance(0.75) ? a : b };
}

function familyFor(form: NameForm, sex: Sex, culture: CultureId): NameForm {
  return sex === 'female' && CULTURE_DATA[culture].feminineFamily ? feminine(form) : form;
}

export interface DrawnFamily {
  patient: PersonName;
  guardians: Guardian[];
}

const RELATIONS_TWO: Weighted<readonly ['mother' | 'father' | 'guardian' | 'grandparent' | 'other', 'mother' | 'father' | 'guardian' | 'grandparent' | 'other']> = [
  [['mother', 'father'], 80], [['mother', 'grandparent'], 8], [['father', 'grandparent'], 4], [['guardian', 'other'], 4], [['mother', 'other'], 4],
];
const RELATIONS_ONE: Weighted<'mother' | 'father' | 'guardian' | 'grandparent' | 'other'> = [
  ['mother', 60], ['father', 20], ['grandparent', 8], ['guardian', 10], ['other', 2],
];
const pickTwo = weighted(RELATIONS_TWO);
const pickOne = weighted(RELATIONS_ONE);

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

function emailPart(f: NameForm): string {
  return f.plain.toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * The patient's name and 1–2 guardians, all in the household's script. Family names follow the culture's
 * convention (compound Iberian surnames, feminine Russian endings, mothers keeping their names). Emails use
 * the reserved example.* domains.
 */
export function drawFamily(rng: Rng, household: Household, sex: Sex): DrawnFamily {
  const { culture, script } = household;
  const lists = PARSED[culture];
  const names = drawFamilyNames(rng, culture);
  const given = rng.pick(sex === 'male' ? lists.childMale : lists.childFemale);
  const childFamily = familyFor(names.child, sex, culture);
  const patient = { givenName: render(given, script), familyName: render(childFamily, script) };

  const relations = rng.chance(0.65) ? pickTwo(rng) : [pickOne(rng)];
  const guardians: Guardian[] = [];
  for (const relationship of relations) {
    const gSex: Sex = relationship === 'mother' ? 'female' : relationship === 'father' ? 'male' : rng.chance(0.7) ? 'female' : 'male';
    const gGiven = rng.pick(gSex === 'male' ? lists.adultMale : lists.adultFemale);
    const base = relationship === 'father' ? names.father
      : relationship === 'mother' ? names.mother
        : rng.chance(0.5) ? names.child : rng.pick(lists.family);
    const gFamily = familyFor(base, gSex, culture);
    // Chinese written in characters puts the family name first, without a space.
    const name = script === 'native' && culture === 'zh'
      ? `${render(gFamily, script)}${render(gGiven, script)}`
      : `${render(gGiven, script)} ${render(gFamily, script)}`;
    const guardian: Guardian = {
      name,
      relationship,
    };
    if (rng.chance(0.95)) guardian.phone = household.phone(rng);
    if (rng.chance(0.4)) {
      const local = `${emailPart(gGiven) || 'parent'}.${emailPart(gFamily) || 'family'}${rng.int(1, 99)}`;
      guardian.email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
    }
    if (rng.chance(0.85)) {
      // Spanish-speaking parents of an English-preferring child are common in US families.
      guardian.language = !household.international && culture === 'es_latam' && household.preferredLanguage === 'English' && rng.chance(0.3)
        ? 'Spanish' : household.preferredLanguage;
    }
    guardians.push(guardian);
  }
  return { patient, guardians };
}
